using System.Text;
using System.Text.Json.Nodes;
using Threadline.Demo.Hosting;
using Threadline.Demo.Scenario;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Tests;

/// <summary>
/// One short seeded run of the demo scenario (all phases, scaled to a few seconds) against a real Threadline
/// server, shared by the end-to-end tests.
/// </summary>
public sealed class DemoRun : IAsyncLifetime
{
    public static readonly ScenarioOptions Scenario = new() { Duration = TimeSpan.FromSeconds(10), Rate = 3, Seed = 7 };

    private readonly StringWriter _log = new();

    public ThreadlineUnderTest Threadline { get; private set; } = null!;

    public DemoApplication App { get; private set; } = null!;

    public ScenarioDriver Driver { get; private set; } = null!;

    /// <summary>What the scenario printed, for failure messages.</summary>
    public string Log => _log.ToString();

    public async ValueTask InitializeAsync()
    {
        Threadline = await ThreadlineUnderTest.StartAsync();
        App = await DemoApplication.StartAsync(new DemoApplicationOptions { OtlpEndpoint = Threadline.OtlpEndpoint }, TestContext.Current.CancellationToken);
        Driver = new ScenarioDriver(App, Scenario, _log);
        await Driver.RunAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Threadline.DisposeAsync();
        await _log.DisposeAsync();
    }

    /// <summary>send-email's invocations, one line each, for failure messages.</summary>
    public string Mails()
    {
        var log = App.Sandbox.Functions.Invocations.Snapshot();
        var start = log.Count == 0 ? DateTimeOffset.MinValue : log.Min(i => i.Start);
        return string.Join("\n", log.Where(i => i.FunctionName == DemoNames.SendEmail).OrderBy(i => i.Start).Select(i =>
            $"{(i.Start - start).TotalSeconds,6:0.00}s v{i.Version} {(i.Failed ? "failed" : RejectedReceipts(i).Count > 0 ? $"{RejectedReceipts(i).Count} rejected" : "ok")} " +
            string.Join(", ", ReceiptImages(i).Select(r => $"{r["userId"]?["S"]}{(r["vip"]?["BOOL"]?.GetValue<bool>() == true ? "*" : "")}{r["locale"]?["S"]}"))));
    }

    public Task<IReadOnlyList<InvocationRecord>> WaitUntilAsync(Func<IReadOnlyList<InvocationRecord>, bool> condition) =>
        App.Sandbox.Functions.Invocations.WaitUntilAsync(condition, ThreadlineUnderTest.Deadline, TestContext.Current.CancellationToken);

    /// <summary>Whether an invocation's event concerns this payment (Kinesis data is base64 and decoded first).</summary>
    public static bool Concerns(InvocationRecord invocation, string paymentId)
    {
        var text = invocation.Event?.ToJsonString() ?? "";
        if (text.Contains(paymentId, StringComparison.Ordinal))
            return true;
        return invocation.FunctionName == DemoNames.Aggregate
            && (invocation.Event?["Records"]?.AsArray() ?? []).Any(r =>
                Encoding.UTF8.GetString(Convert.FromBase64String(r!["kinesis"]!["data"]!.GetValue<string>())).Contains(paymentId, StringComparison.Ordinal));
    }

    /// <summary>
    /// The receipts (new images) a send-email invocation reported failed in its partial batch response (by the stream
    /// records' sequence numbers).
    /// </summary>
    public static List<JsonNode> RejectedReceipts(InvocationRecord invocation)
    {
        var reported = (invocation.Response?["batchItemFailures"]?.AsArray() ?? [])
            .Select(f => f?["itemIdentifier"]?.GetValue<string>()).OfType<string>().ToHashSet();
        return [.. (invocation.Event?["Records"]?.AsArray() ?? [])
            .Where(r => r?["dynamodb"]?["SequenceNumber"]?.GetValue<string>() is { } sequence && reported.Contains(sequence))
            .Select(r => r!["dynamodb"]!["NewImage"]).OfType<JsonNode>()];
    }

    /// <summary>Neither failed nor reported a record failed.</summary>
    public static bool FullySucceeded(InvocationRecord invocation) =>
        !invocation.Failed && (invocation.Response?["batchItemFailures"]?.AsArray().Count ?? 0) == 0;

    /// <summary>The payment receipts (new images) of a send-email invocation fed by the payments table's stream.</summary>
    public static List<JsonNode> ReceiptImages(InvocationRecord invocation) =>
        [.. (invocation.Event?["Records"]?.AsArray() ?? []).Select(r => r?["dynamodb"]?["NewImage"]).OfType<JsonNode>()];
}
