using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Threadline.Testing;

namespace Threadline.Demo.Tests;

/// <summary>The real <c>threadline demo</c>: it runs the scenario, says where to look, keeps serving, and stops on Ctrl+C.</summary>
public sealed partial class DemoCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Process Start(string arguments) => Process.Start(new ProcessStartInfo("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")} {arguments}")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;

    private static readonly TimeSpan AffectedUserDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Demo_runs_the_scenario_keeps_serving_its_transactions_and_stops_cleanly_on_ctrl_c()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-demo-cli-tests", Guid.NewGuid().ToString("n"));
        using var process = Start($"demo --duration 4s --rate 2 --seed 3 --data {data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");
        try
        {
            var output = await ReadUntilScenarioIsOverAsync(process);
            var text = string.Join("\n", output);

            Assert.Contains("Threadline keeps running; press Ctrl+C to stop.", text);
            Assert.Equal(6, output.Count(l => l.Contains("] phase: ", StringComparison.Ordinal)));
            Assert.Matches(@"scenario done: \d+ payments", text);
            Assert.DoesNotContain(output, l => l.StartsWith("payment ", StringComparison.Ordinal)); // function output goes to Threadline, not here
            var api = int.Parse(ApiLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };
            var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/transactions?entry=POST%20/payments&limit=1000", UriKind.Relative), Ct)).RootElement;
            Assert.NotEmpty(list.GetProperty("transactions").EnumerateArray());
            // The demo identifies users by the payment's userId (its default user rule): the failures have an exposure.
            // The scenario's last mail batches may still be delivered and analyzed after "scenario done", so ask until
            // an issue names a user or the deadline passes.
            var (users, issues) = await AffectedUsersAsync(http);
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                // The demo's mail path is several async hops (queues polled by the sandbox); with the whole suite
                // running on two cores it has taken longer than the usual 30 s to reach an analyzed failure.
                deadline.CancelAfter(AffectedUserDeadline);
                while (users == 0 && !deadline.IsCancellationRequested)
                {
                    await Task.Delay(250, CancellationToken.None);
                    (users, issues) = await AffectedUsersAsync(http);
                }
            }
            Assert.True(users > 0, $"no issue of the demo run names an affected user: {issues}");
            Assert.Contains($"explore it at http://127.0.0.1:{api}", text);

            await InterruptAndWaitAsync(process);

            Assert.Equal(0, process.ExitCode);
            Assert.True(File.Exists(Path.Combine(data, "threadline.duckdb")));
        }
        finally
        {
            await StopAndDeleteAsync(process, data);
        }
    }

    /// <summary>The users the issues' exposures name, summed, and the issue list they came from.</summary>
    private static async Task<(int Users, string Issues)> AffectedUsersAsync(HttpClient http)
    {
        var issues = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/issues", UriKind.Relative), Ct)).RootElement;
        var users = 0;
        foreach (var issue in issues.EnumerateArray())
        {
            var detail = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/issues/{issue.GetProperty("id").GetString()}", UriKind.Relative), Ct)).RootElement;
            users += detail.GetProperty("exposure").GetProperty("users").GetInt32();
        }
        return (users, issues.ToString());
    }

    [Fact]
    public async Task Ctrl_c_during_the_scenario_stops_it_and_exits_cleanly()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-demo-cli-tests", Guid.NewGuid().ToString("n"));
        using var process = Start($"demo --duration 10m --data {data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(ThreadlineUnderTest.Deadline);
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line && !line.Contains("] phase: normal traffic", StringComparison.Ordinal))
            {
            }

            await InterruptAndWaitAsync(process);

            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("scenario done", await process.StandardOutput.ReadToEndAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            await StopAndDeleteAsync(process, data);
        }
    }

    [Fact]
    public async Task With_authentication_on_the_functions_send_a_token_of_their_own_valid_only_while_the_demo_runs()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-demo-cli-tests", Guid.NewGuid().ToString("n"));
        var created = await RunToEndAsync($"auth create-token scripts --kind api --data {data}");
        Assert.Equal(0, created.ExitCode);
        var apiToken = created.Output.Trim();
        using var process = Start($"demo --bind 0.0.0.0 --duration 4s --rate 2 --seed 3 --data {data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");
        try
        {
            var text = string.Join("\n", await ReadUntilScenarioIsOverAsync(process));
            var api = int.Parse(AnyApiLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };
            var payments = new Uri("/api/transactions?entry=POST%20/payments&limit=1000", UriKind.Relative);

            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(payments, Ct)).StatusCode);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiToken);
            var list = JsonDocument.Parse(await http.GetStringAsync(payments, Ct)).RootElement;
            Assert.NotEmpty(list.GetProperty("transactions").EnumerateArray());
            Assert.Contains("threadline-demo-functions", (await RunToEndAsync($"auth list --data {data}")).Output, StringComparison.Ordinal);

            await InterruptAndWaitAsync(process);

            Assert.Equal(0, process.ExitCode);
            var after = await RunToEndAsync($"auth list --data {data}");
            Assert.DoesNotContain("threadline-demo-functions", after.Output, StringComparison.Ordinal);
            Assert.Contains("scripts", after.Output, StringComparison.Ordinal);
        }
        finally
        {
            await StopAndDeleteAsync(process, data);
        }
    }

    /// <summary>The demo's output up to the line that says it keeps running after the scenario.</summary>
    private static async Task<List<string>> ReadUntilScenarioIsOverAsync(Process process)
    {
        var output = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(ThreadlineUnderTest.Deadline * 2);
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            output.Add(line);
            if (line.StartsWith("Threadline keeps running", StringComparison.Ordinal))
                break;
        }
        return output;
    }

    private static Task<ProcessResult> RunToEndAsync(string arguments) =>
        ChildProcess.RunAsync(new ProcessStartInfo("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")} {arguments}"), ThreadlineUnderTest.Deadline, Ct);

    [Theory]
    [InlineData("--duration soon", "--duration 'soon' is not a duration")]
    [InlineData("--rate 0", "--rate must be between 0 (exclusive) and 200")]
    [InlineData("--api-port 70000", "API port must be between 0 and 65535")]
    public async Task Invalid_options_are_refused_with_the_reason(string arguments, string reason)
    {
        using var process = Start($"demo {arguments} --data {Path.GetTempPath()}");

        var errors = await process.StandardError.ReadToEndAsync(Ct) + await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(reason, errors);
    }

    /// <summary>Ctrl+C, then the process's exit (within the deadline).</summary>
    private static async Task InterruptAndWaitAsync(Process process)
    {
        await InterruptAsync(process);
        using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        exit.CancelAfter(ThreadlineUnderTest.Deadline);
        await process.WaitForExitAsync(exit.Token);
    }

    /// <summary>Ends the process if a failed assertion left it running, and removes its data folder.</summary>
    private static async Task StopAndDeleteAsync(Process process, string data)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
        if (Directory.Exists(data))
            Directory.Delete(data, recursive: true);
    }

    /// <summary>Ctrl+C, as the terminal sends it.</summary>
    private static async Task InterruptAsync(Process process)
    {
        // A process that starts with SIGINT ignored (a background job of a non-interactive shell, nohup) passes that on
        // to its children, and .NET then leaves SIGINT ignored: the demo could not see this Ctrl+C at all.
        Assert.False(IgnoresSigint(process.Id),
            "SIGINT is ignored in this process tree (started as a background job of a non-interactive shell, or under nohup), "
            + "so no Ctrl+C can reach the demo; run the tests with SIGINT at its default disposition.");
        using var interrupt = Process.Start("kill", $"-INT {process.Id}");
        await interrupt.WaitForExitAsync(Ct);
    }

    /// <summary>Whether the process ignores SIGINT (signal 2: bit 1 of the SigIgn mask in /proc/PID/status).</summary>
    private static bool IgnoresSigint(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & 0b10) != 0;
    }

    [GeneratedRegex(@"UI and API:\s+http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"UI and API:\s+http://\S+:(\d+)")]
    private static partial Regex AnyApiLine();
}
