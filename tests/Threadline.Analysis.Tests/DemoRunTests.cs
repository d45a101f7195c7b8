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
    public async Task The_send_email_issue_shows_the_payments_and_users_of_its_failed_batches_and_v2_fixes_it()
    {
        // What the sandbox saw: send-email's failed receipt batches (v1, the payments table's stream).
        IReadOnlyList<InvocationRecord> FailedReceipts() => [.. _app.Sandbox.Functions.Invocations.Snapshot()
            .Where(i => i.FunctionName == DemoNames.SendEmail && i.Failed && Receipts(i).Any())];
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
            var payments = failed.SelectMany(Receipts).Select(r => r["paymentId"]!["S"]!.GetValue<string>()).ToHashSet();
            var expectedUsers = failed.SelectMany(Receipts).Select(r => r["userId"]!["S"]!.GetValue<string>()).ToHashSet();
            var impact = issue.GetProperty("impact").EnumerateArray().ToList();
            var complete = impact.Count == 1 && impact[0].GetProperty("failedTransactions").GetInt32() >= payments.Count
                && expectedUsers.Count <= issue.GetProperty("exposure").GetProperty("users").GetInt32();
            return (complete, $"{payments.Count} payments; issue: {issue}", issue);
        });

        // A failed batch belongs to the transaction of every payment whose receipt it held, and (the stitcher's rule
        // for batch consumers, here notify's SQS batches) to the other transactions upstream of it: at least those.
        var receipts = FailedReceipts().SelectMany(Receipts).ToList();
        var rejected = receipts.Where(r => r["vip"]?["BOOL"]?.GetValue<bool>() == true && r["locale"]?["S"]?.GetValue<string>() != "en")
            .Select(r => r["userId"]!["S"]!.GetValue<string>()).ToHashSet();
        Assert.Equal("outgoingCall", detail.GetProperty("kind").GetString());
        Assert.Equal("POST 127.0.0.1/twilio/2010-04-01/Messages.json answered 400", detail.GetProperty("message").GetString());
        Assert.EndsWith("| POST <ip>/twilio/<n>-<n>-<n>/Messages.json answered <n> | Threadline.Demo.Functions.SendEmail.Definition.<lambda>",
            detail.GetProperty("fingerprint").GetString());
        var entry = Assert.Single(detail.GetProperty("impact").EnumerateArray());
        Assert.Equal(("POST /payments", "apigateway", DemoNames.ProcessPayment),
            (entry.GetProperty("entry").GetString(), entry.GetProperty("kind").GetString(), entry.GetProperty("function").GetString()));
        Assert.InRange(entry.GetProperty("failedTransactions").GetInt32(), receipts.Select(r => r["paymentId"]!["S"]!.GetValue<string>()).Distinct().Count(), _driver.Payments.Count);
        var exposure = detail.GetProperty("exposure");
        var reportedVips = exposure.GetProperty("vipUsers").EnumerateArray().Select(u => u.GetString()!).ToHashSet();
        Assert.NotEmpty(rejected);
        Assert.Subset(reportedVips, rejected);
        Assert.Subset(vips, reportedVips);
        Assert.Subset(_driver.Users.Select(u => u.Id).ToHashSet(), exposure.GetProperty("sampleUsers").EnumerateArray().Select(u => u.GetString()!).ToHashSet());

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

    /// <summary>The payment receipt images of a send-email invocation fed by the payments table's stream.</summary>
    private static IEnumerable<JsonNode> Receipts(InvocationRecord invocation) =>
        (invocation.Event?["Records"]?.AsArray() ?? []).Select(r => r?["dynamodb"]?["NewImage"]).OfType<JsonNode>();

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
