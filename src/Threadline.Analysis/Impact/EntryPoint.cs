using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Impact;

/// <summary>
/// What started a transaction, as the owner names it: the route for HTTP entries (<c>POST /payments</c>), the function
/// for schedules (<c>lunchbot</c>), the queue, topic, bus, stream, table or bucket for events from outside.
/// </summary>
public sealed record EntryPoint(string Name, string? Kind, string Function)
{
    private static readonly HashSet<string> HttpKinds = ["apigateway", "apigatewayv2", "function-url", "http"];

    public static EntryPoint Of(AnalyzedInvocation entry) => new(
        entry.TriggerKind switch
        {
            "schedule" or null => entry.Function,
            var kind when HttpKinds.Contains(kind) => entry.TriggerResource ?? entry.Function,
            _ => entry.TriggerResource ?? entry.Function,
        },
        entry.TriggerKind,
        entry.Function);

    /// <summary>What one transaction of this entry is called in a sentence: requests, runs or events.</summary>
    public string Noun(int count) => (Kind, count) switch
    {
        ("schedule", 1) => "run",
        ("schedule", _) => "runs",
        (_, 1) when Kind is null || HttpKinds.Contains(Kind) => "transaction",
        _ when Kind is null || HttpKinds.Contains(Kind) => "transactions",
        (_, 1) => "event",
        _ => "events",
    };
}
