using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Threadline.Demo.Tests;

public sealed partial class DemoCommandTests
{
    /// <summary>How long the v2 fix may take to be judged (it needs five send-email invocations after it; the lunch bot adds two every 10 s).</summary>
    private static readonly TimeSpan ResolutionDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Demo_notifies_the_send_email_failure_with_its_impact_and_then_its_resolution_by_the_v2_deployment()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-demo-cli-tests", Guid.NewGuid().ToString("n"));
        using var process = Start($"demo --duration 12s --rate 3 --seed 7 --data {data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");
        try
        {
            var output = new ConcurrentQueue<string>(await ReadUntilScenarioIsOverAsync(process));
            var reading = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync(Ct) is { } line)
                    output.Enqueue(line);
            }, Ct);
            var text = string.Join("\n", output);
            Assert.Contains("Alerts: default rules on; \"New or regressed issue\" also posts to the demo's webhook receiver", text);
            var api = int.Parse(ApiLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };

            // The newcomer's 2 a.m. notification: send-email fails, with the impact in words and a link to the issue.
            var alert = await WaitForNotificationAsync(http, n => !n.GetProperty("resolution").GetBoolean()
                && n.GetProperty("type").GetString() == "newOrRegressedIssue" && n.GetProperty("function").GetString() == "send-email" && n.GetProperty("text").GetString()!.Contains("POST /payments", StringComparison.Ordinal),
                ThreadlineUnderTest.Deadline);
            var issue = alert.GetProperty("issueId").GetString()!;
            var alertText = alert.GetProperty("text").GetString()!;
            Assert.StartsWith($"New issue #{issue} in send-email: HTTP 400", alertText);
            Assert.Matches(@" — send-email .*POST /payments.*user", alertText);
            Assert.Equal($"http://127.0.0.1:{api}/issues/{issue}", alert.GetProperty("link").GetString());
            Assert.Contains(alert.GetProperty("channels").EnumerateArray(), c => c.GetProperty("channel").GetString() == "demo webhook receiver" && c.GetProperty("delivered").GetBoolean());
            var unread = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/alerts/notifications/unread", UriKind.Relative), Ct)).RootElement;
            Assert.True(unread.GetProperty("unread").GetInt32() >= 1, unread.GetRawText()); // the bell's count in the header
            Assert.Contains(output, l => l.Contains($"[notification] New issue #{issue} in send-email", StringComparison.Ordinal));

            // send-email v2 stops the failures: once its verdict says so, the issue's notification is resolved.
            var resolved = await WaitForNotificationAsync(http, n => n.GetProperty("resolution").GetBoolean() && n.GetProperty("issueId").GetString() == issue
                && n.GetProperty("type").GetString() == "newOrRegressedIssue",
                ResolutionDeadline);
            var resolvedText = resolved.GetProperty("text").GetString()!;
            Assert.StartsWith($"Resolved: issue #{issue} in send-email (HTTP 400", resolvedText);
            Assert.Contains("fixed by send-email ", resolvedText);
            Assert.Matches(@"It had hit: send-email .*POST /payments", resolvedText);
            await WaitForLineAsync(output, $"[notification] Resolved: issue #{issue}");

            await InterruptAndWaitAsync(process);
            await reading;
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            await StopAndDeleteAsync(process, data);
        }
    }

    private static async Task<JsonElement> WaitForNotificationAsync(HttpClient http, Func<JsonElement, bool> wanted, TimeSpan within)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(within);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var last = "";
        try
        {
            do
            {
                last = await http.GetStringAsync(new Uri("/api/alerts/notifications", UriKind.Relative), Ct);
                if (JsonDocument.Parse(last).RootElement.EnumerateArray().FirstOrDefault(wanted) is { ValueKind: JsonValueKind.Object } found)
                    return found.Clone();
            }
            while (await poll.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
        Assert.Fail($"No such notification within {within}; the notifications: {last}");
        return default;
    }

    private static async Task WaitForLineAsync(ConcurrentQueue<string> output, string part)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(ThreadlineUnderTest.Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (!output.Any(l => l.Contains(part, StringComparison.Ordinal)))
                await poll.WaitForNextTickAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"The demo did not print '{part}'; it printed:\n{string.Join("\n", output)}");
        }
    }
}
