using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>Feeds spans to an engine and reads its answer back in label form.</summary>
internal static class Harness
{
    public static StitchEngine Stitch(IEnumerable<SpanRecord> spans, TimeProvider? time = null)
    {
        var engine = new StitchEngine(new InMemoryStitchState(), time);
        engine.Ingest([.. spans]);
        return engine;
    }

    /// <summary>Every hop out of every labelled invocation: <c>from -> to kind service resource via</c>.</summary>
    public static string[] Hops(StitchEngine engine, ContractSpans spans) =>
    [
        .. spans.Labels.Keys
            .SelectMany(engine.OutgoingHops)
            .Select(h => Format(h, spans.Labels))
            .Order(StringComparer.Ordinal),
    ];

    public static string Format(Hop hop, IReadOnlyDictionary<InvocationId, string> labels) =>
        $"{Label(labels, hop.From)} -> {Label(labels, hop.To)} {hop.Kind.ToString().ToLowerInvariant()} {hop.Service} {hop.Resource} {hop.Via}";

    /// <summary>The labels of the invocations the engine found in the traces of the labelled ones.</summary>
    public static string[] Invocations(StitchEngine engine, ContractSpans spans) =>
    [
        .. spans.Labels.Keys.Select(id => id.TraceId).Distinct()
            .SelectMany(engine.FindByTraceId)
            .Select(i => Label(spans.Labels, i.Id))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Each transaction as its members' labels, entry first: <c>entry: a b c</c>.</summary>
    public static string[] Transactions(StitchEngine engine, ContractSpans spans) =>
    [
        .. engine.ListTransactions(new TransactionFilter { Limit = int.MaxValue })
            .Select(s => engine.GetTransaction(s.Id)!)
            .Select(t => $"{Label(spans.Labels, t.Summary.EntryInvocation)}: "
                + string.Join(' ', t.Invocations.Select(i => Label(spans.Labels, i.Id)).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal),
    ];

    public static string[] Sorted(params string[] lines) => [.. lines.Order(StringComparer.Ordinal)];

    private static string Label(IReadOnlyDictionary<InvocationId, string> labels, InvocationId id) =>
        labels.TryGetValue(id, out var label) ? label : $"?{id}";
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
