using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Threadline.Server.Tests;

/// <summary>The real <c>threadline</c> executable: flags, environment variables, printed ports, errors.</summary>
public sealed partial class CommandLineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Process Start(string arguments, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? [])
            info.Environment[name] = value;
        return Process.Start(info)!;
    }

    [Fact]
    public async Task Serve_with_port_zero_prints_the_chosen_ports_and_they_answer()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        using var process = Start("serve --api-port 0 --otlp-grpc-port 0", new()
        {
            ["THREADLINE_DATA"] = data,
            ["THREADLINE_OTLP_HTTP_PORT"] = "0",
        });
        try
        {
            var ports = new Dictionary<string, int>();
            while (ports.Count < 3 && await process.StandardOutput.ReadLineAsync(Ct) is { } line)
            {
                var match = PortLine().Match(line);
                if (match.Success)
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.Equal(["OTLP/HTTP", "OTLP/gRPC", "UI and API"], ports.Keys.Order());
            Assert.All(ports.Values, port => Assert.NotEqual(0, port));
            using var http = new HttpClient();
            var health = await http.GetAsync($"http://127.0.0.1:{ports["UI and API"]}/api/health", Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            var issues = await http.GetAsync($"http://127.0.0.1:{ports["UI and API"]}/api/issues", Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, issues.StatusCode);
            Assert.True(File.Exists(Path.Combine(data, "threadline.duckdb")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Runs a command that is expected to end by itself; its exit code and standard error.</summary>
    private static async Task<(int ExitCode, string Errors)> RunToExitAsync(string arguments, Dictionary<string, string> environment)
    {
        using var process = Start(arguments, environment);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, errors);
    }

    [Fact]
    public async Task Invalid_configuration_exits_2_naming_every_problem()
    {
        var (exitCode, errors) = await RunToExitAsync("serve --api-port 70000 --otlp-http-port 4444 --otlp-grpc-port 4444", new() { ["THREADLINE_DATA"] = Path.GetTempPath() });

        Assert.Equal(2, exitCode);
        Assert.Contains("API port must be between 0 and 65535 (got 70000)", errors);
        Assert.Contains("ports must differ", errors);
    }

    [Fact]
    public async Task Analysis_configuration_problems_are_reported_with_the_others()
    {
        using var process = Start("serve --api-port 70000", new() { ["THREADLINE_BASE_URL"] = "not a url", ["THREADLINE_DATA"] = Path.GetTempPath() });

        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("THREADLINE_BASE_URL must be an absolute URL (got 'not a url')", errors);
        Assert.Contains("API port must be between 0 and 65535", errors);
    }

    [Fact]
    public async Task A_malformed_environment_variable_is_reported()
    {
        using var process = Start("serve", new() { ["THREADLINE_API_PORT"] = "eighty" });

        var output = await process.StandardError.ReadToEndAsync(Ct) + await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("THREADLINE_API_PORT='eighty' is not a whole number", output);
    }

    [Fact]
    public async Task A_data_folder_held_by_a_running_server_is_refused_with_the_reason()
    {
        await using var running = new ServerFixture();
        await running.InitializeAsync();
        using var second = Start($"serve --data {running.DataDirectory} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");

        var errors = await second.StandardError.ReadToEndAsync(Ct);
        await second.WaitForExitAsync(Ct);

        Assert.Equal(1, second.ExitCode);
        Assert.StartsWith("threadline: cannot start: ", errors);
        Assert.Contains("lock", errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_port_in_use_is_refused_with_the_reason()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        using var process = Start($"serve --data {data} --api-port {port} --otlp-http-port 0 --otlp-grpc-port 0");

        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", errors);
        if (Directory.Exists(data))
            Directory.Delete(data, recursive: true);
    }

    [GeneratedRegex(@"^\s+(UI and API|OTLP/HTTP|OTLP/gRPC):\s+http://127\.0\.0\.1:(\d+)$")]
    private static partial Regex PortLine();
}
