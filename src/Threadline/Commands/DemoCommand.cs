using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Threadline.Demo.Hosting;
using Threadline.Demo.Scenario;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary>
/// <c>threadline demo</c>: the server (embedded store), the sandbox with the traced demo application, and the
/// scenario; keeps running after the scenario so the data can be explored, until Ctrl+C or SIGTERM.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo's payments carry the user and the VIP flag in the API request's JSON body.</summary>
    private static readonly Dictionary<string, string> DemoAnalysisDefaults = new()
    {
        ["THREADLINE_USER_RULE"] = "jsonpath:$.body.userId",
        ["THREADLINE_VIP_RULE"] = "jsonpath:$.body.vip=true",
        // Alerts are evaluated every 2 seconds, so the scenario's failure is notified while the newcomer watches.
        ["THREADLINE_ALERT_INTERVAL"] = "2",
    };

    public static Command Create()
    {
        var server = new ServerCommandOptions("./threadline-demo-data", DemoAnalysisDefaults);
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long the scenario drives traffic, in seconds or with a unit (90, 90s, 2m); its phases scale with it",
            DefaultValueFactory = _ => ScenarioOptions.DefaultDuration,
            CustomParser = ParseDuration,
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Payments per second in normal traffic",
            DefaultValueFactory = _ => ScenarioOptions.DefaultRate,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the scenario's customers and payments: the same seed, the same run",
            DefaultValueFactory = _ => ScenarioOptions.DefaultSeed,
        };
        var command = new Command("demo", "Run Threadline with the demo application on a local AWS sandbox and drive a scenario with faults through it.")
        {
            duration, rate, seed,
        };
        server.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var scenario = new ScenarioOptions { Duration = parse.GetValue(duration), Rate = parse.GetValue(rate), Seed = parse.GetValue(seed) };
            var (options, problems) = server.Read(parse);
            var (running, exitCode) = await ServerCommandOptions.StartAsync(options, problems.Concat(scenario.Validate()), cancellationToken).ConfigureAwait(false);
            if (running is null)
                return exitCode;
            await using var _ = running;
            // Ctrl+C and SIGTERM stop the server's host; the scenario stops with it.
            var stopping = running.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
            // Bound to every address, the server is reached locally through the loopback address.
            var local = options.BindAddress.Equals(IPAddress.Any) || options.BindAddress.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : options.BindAddress;
            var host = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
            var ui = $"http://{host}:{running.ApiPort}";
            using var token = running.Services.GetRequiredService<ServerSecurity>().Enabled ? DemoIngestToken.Create(running.DataDirectory) : null;
            // The functions' own console output goes to their logs in Threadline (as it goes to CloudWatch on AWS),
            // not to this terminal.
            var terminal = Console.Out;
            Console.SetOut(TextWriter.Null);
            await using var app = await DemoApplication.StartAsync(new DemoApplicationOptions
            {
                OtlpEndpoint = new Uri($"http://{host}:{running.OtlpHttpPort}"),
                IngestToken = token?.Token,
            }, stop.Token).ConfigureAwait(false);
            await using var receiver = await DemoAlertReceiver.StartAsync(terminal, stop.Token).ConfigureAwait(false);
            var alerts = await DemoAlerts.ConnectAsync(running.Services, receiver.Url, stop.Token).ConfigureAwait(false);
            await terminal.WriteLineAsync($"  AWS sandbox: {app.Sandbox.Endpoint}").ConfigureAwait(false);
            await terminal.WriteLineAsync($"  Shop API:    POST {app.ShopApi}payments, GET {app.ShopApi}menu").ConfigureAwait(false);
            await terminal.WriteLineAsync($"  {alerts} Notifications: the bell at {ui} and {ui}/alerts.").ConfigureAwait(false);
            await terminal.WriteLineAsync().ConfigureAwait(false);
            try
            {
                await new ScenarioDriver(app, scenario, terminal).RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return 0; // Ctrl+C during the scenario: stop now.
            }
            await terminal.WriteLineAsync().ConfigureAwait(false);
            await terminal.WriteLineAsync($"The scenario is over; explore it at {ui} (failed transactions: {ui}/api/transactions?status=error).").ConfigureAwait(false);
            await terminal.WriteLineAsync("Threadline keeps running; press Ctrl+C to stop.").ConfigureAwait(false);
            await terminal.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await ServerCommandOptions.WaitForShutdownAsync(running, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Seconds (<c>90</c>, <c>90s</c>), minutes (<c>2m</c>) or hours (<c>1h</c>).</summary>
    private static TimeSpan ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], char.ToLowerInvariant(text[^1])) : (text, 's');
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && unit is 's' or 'm' or 'h')
            return unit switch { 'm' => TimeSpan.FromMinutes(value), 'h' => TimeSpan.FromHours(value), _ => TimeSpan.FromSeconds(value) };
        result.AddError($"--duration '{text}' is not a duration such as 90, 90s or 2m.");
        return ScenarioOptions.DefaultDuration;
    }
}
