using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Analysis.Configuration;
using Threadline.Demo.Hosting;
using Threadline.Demo.Scenario;
using Threadline.Sandbox.Functions;

namespace Threadline.Analysis.Tests;

/// <summary>
/// A short seeded run of the demo (src/Threadline.Demo: traced functions on the sandbox, the fake third-party APIs,
/// every scenario phase) against a real server with the analysis module: the send-email issue with its impact and
/// exposure as the sandbox's own invocation log implies them, and the verdict of the send-email v2 fix.
/// </summary>
public sealed class DemoRunTests : IAsyncLifetime
{
    private static readonly ScenarioOptions Scenario = new() { Duration = TimeSpan.FromSeconds(20), Rate = 2, Seed = 7 };
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly StringWriter _log = new();
    private AnalysisServer _server = null!;
    private DemoApplication _app = null!;
    private ScenarioDriver _driver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Real time: the demo's spans carry the machine's clock.
        _server = await AnalysisServer.StartAsync(_ => new AnalysisOptions
        {
            EvaluationInterval = null,
            UserRule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.userId" },
            VipRule = new VipRule { Rule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.vip" }, Values = ["true"] },
            DeploymentMinimumInvocations = 1,
        });
        _app = await DemoApplication.StartAsync(new DemoApplicationOptions { OtlpEndpoint = _server.Otlp.BaseAddress! }, Ct);
        _driver = new ScenarioDriver(_app, Scenario, _log);
        await _driver.RunAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task The_send_email_issue_shows_exactly_the_payments_and_users_of_its_rejected_receipts_and_v2_fixes_it()
    {
        // What the sandbox saw: send-email's receipt batches (v1, the payments table's stream) that reported records
        // failed in their partial batch response, and those records' receipts.
        IReadOnlyList<InvocationRecord> FailedReceipts() => [.. _app.Sandbox.Functions.Invocations.Snapshot()
            .Where(i => i.FunctionName == DemoNames.SendEmail && Rejected(i).Any())];
        var vips = _driver.Users.Where(u => u.Vip).Select(u => u.Id).ToHashSet();

        string? issueId = null;
        var detail = await WaitForAsync(async () =>
        {
            var failed = FailedReceipts();
            var issues = (await _server.IssuesOfAsync(DemoNames.SendEmail)).EnumerateArray()
                .Where(i => i.GetProperty("errorType").GetString() == "HTTP 400").ToList();
            if (failed.Count == 0 || issues.Count != 1 || issues[0].GetProperty("count").GetInt32() != failed.Count)
                return (false, $"{failed.Count} failed receipt batches; issues: {string.Join(", ", issues)}", default);
            issueId = issues[0].GetProperty("id").GetString();
            var issue = await _server.GetAsync($"/api/issues/{issueId}");
            var payments = failed.SelectMany(Rejected).Select(r => r["paymentId"]!["S"]!.GetValue<string>()).ToHashSet();
            var users = failed.SelectMany(Rejected).Select(r => r["userId"]!["S"]!.GetValue<string>()).ToHashSet();
            var impact = issue.GetProperty("impact").EnumerateArray().ToList();
            var complete = impact.Count == 1 && impact[0].GetProperty("failedTransactions").GetInt32() == payments.Count
                && users.SetEquals(issue.GetProperty("exposure").GetProperty("vipUsers").EnumerateArray().Select(u => u.GetString()!));
            return (complete, $"{payments.Count} payments; issue: {issue}", issue);
        });

        // Only the rejected receipts' payments failed, and only their users (all VIPs) are exposed; their batch-mates
        // (records after them in the stream, retried from the failed one on) are at most delayed.
        var rejected = FailedReceipts().SelectMany(Rejected).ToList();
        var rejectedUsers = rejected.Select(r => r["userId"]!["S"]!.GetValue<string>()).ToHashSet();
        Assert.Equal("outgoingCall", detail.GetProperty("kind").GetString());
        Assert.Equal("POST 127.0.0.1/twilio/2010-04-01/Messages.json answered 400", detail.GetProperty("message").GetString());
        Assert.EndsWith("| POST <ip>/twilio/<n>-<n>-<n>/Messages.json answered <n> | Threadline.Demo.Functions.SendEmail.SendAsync",
            detail.GetProperty("fingerprint").GetString());
        var entry = Assert.Single(detail.GetProperty("impact").EnumerateArray());
        Assert.Equal(("POST /payments", "apigateway", DemoNames.ProcessPayment),
            (entry.GetProperty("entry").GetString(), entry.GetProperty("kind").GetString(), entry.GetProperty("function").GetString()));
        Assert.Equal(rejected.Select(r => r["paymentId"]!["S"]!.GetValue<string>()).Distinct().Count(), entry.GetProperty("failedTransactions").GetInt32());
        Assert.Equal(0, entry.GetProperty("failedBatchTransactions").GetInt32());
        var exposure = detail.GetProperty("exposure");
        Assert.Subset(vips, rejectedUsers);
        Assert.Equal(rejectedUsers.Count, exposure.GetProperty("users").GetInt32());
        Assert.Equal(rejectedUsers.Order(), exposure.GetProperty("vipUsers").EnumerateArray().Select(u => u.GetString()!));
        Assert.Equal(0, detail.GetProperty("failedBatchExposure").GetProperty("users").GetInt32());
        Assert.DoesNotContain(detail.GetProperty("delayedExposure").GetProperty("sampleUsers").EnumerateArray(), u => rejectedUsers.Contains(u.GetString()!));

        // send-email v2 went out after the failures: its verdict names the issue as fixed.
        var v2 = _app.Sandbox.Functions.Current(DemoNames.SendEmail).Version;
        var deployment = await WaitForAsync(async () =>
        {
            var deployments = (await _server.GetAsync($"/api/deployments?function={DemoNames.SendEmail}")).EnumerateArray().ToList();
            var found = deployments.FirstOrDefault(d => d.GetProperty("version").GetString() == v2);
            var ok = found.ValueKind == JsonValueKind.Object && found.GetProperty("comparison").GetProperty("invocationsAfter").GetInt32() > 0;
            return (ok, string.Join(", ", deployments), found);
        });
        Assert.Equal("detected", deployment.GetProperty("source").GetString());
        Assert.Matches($"^errors [0-9.]+/h → 0/h after {v2}: fixed issue #{issueId}", deployment.GetProperty("verdict").GetString());
    }

    /// <summary>The receipt images a send-email invocation reported failed (by sequence number) in its partial batch response.</summary>
    private static IEnumerable<JsonNode> Rejected(InvocationRecord invocation)
    {
        var reported = (invocation.Response?["batchItemFailures"]?.AsArray() ?? [])
            .Select(f => f?["itemIdentifier"]?.GetValue<string>()).OfType<string>().ToHashSet();
        return (invocation.Event?["Records"]?.AsArray() ?? [])
            .Where(r => r?["dynamodb"]?["SequenceNumber"]?.GetValue<string>() is { } sequence && reported.Contains(sequence))
            .Select(r => r!["dynamodb"]!["NewImage"]).OfType<JsonNode>();
    }

    /// <summary>Asks again until the answer is complete (telemetry the tracer exported late arrives a little later).</summary>
    private async Task<JsonElement> WaitForAsync(Func<Task<(bool Done, string State, JsonElement Answer)>> probe)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var state = "";
        do
        {
            var (done, now, answer) = await probe();
            if (done)
                return answer;
            state = now;
        }
        while (await TickAsync(poll, deadline.Token));
        Assert.Fail($"not complete within {Deadline}: {state}\nscenario:\n{_log}");
        return default;
    }

    private static async Task<bool> TickAsync(PeriodicTimer poll, CancellationToken deadline)
    {
        try
        {
            return await poll.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
