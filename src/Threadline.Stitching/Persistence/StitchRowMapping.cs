using System.Text.Json;
using System.Text.Json.Serialization;
using Threadline.Storage.Derived.Stitching;
using Threadline.Telemetry;

namespace Threadline.Stitching.Persistence;

/// <summary>
/// The engine's types as the store's plain rows and back. Span facts and invocations travel as JSON (the store only
/// indexes their ids and keys); hops and summaries as columns. Times of the engine's clock as Unix nanoseconds.
/// </summary>
internal static class StitchRowMapping
{
    public static StitchId Row(InvocationId id) => new(id.TraceId, id.SpanId);

    public static InvocationId Id(StitchId id) => new(id.TraceId, id.SpanId);

    public static StitchSpanRow Row(SpanFacts span) =>
        new(span.TraceId, span.SpanId, span.StartTimeUnixNano, JsonSerializer.Serialize(span, StitchJson.Default.SpanFacts));

    public static SpanFacts Facts(StitchSpanRow row) =>
        JsonSerializer.Deserialize(row.Facts, StitchJson.Default.SpanFacts)
        ?? throw new InvalidDataException($"The stored facts of span {row.SpanId:x16} are empty.");

    public static StitchInvocationPut Put(Invocation invocation) =>
        new(new StitchInvocationRow(Row(invocation.Id), invocation.StartTimeUnixNano, JsonSerializer.Serialize(invocation, StitchJson.Default.Invocation)),
            Keys(invocation));

    public static Invocation Invocation(StitchInvocationRow row) =>
        JsonSerializer.Deserialize(row.Body, StitchJson.Default.Invocation)
        ?? throw new InvalidDataException($"The stored invocation {Id(row.Id)} is empty.");

    /// <summary>Every key an invocation is found by (the indexes <see cref="InMemoryStitchState"/> keeps in memory).</summary>
    public static IReadOnlyList<StitchKeyRef> Keys(Invocation invocation)
    {
        var keys = new HashSet<StitchKeyRef>();
        if (invocation.RequestId is { } requestId)
            keys.Add(RequestId(requestId));
        foreach (var key in invocation.Outbound)
            keys.Add(Outbound(key.Key));
        foreach (var key in invocation.Inbound)
            keys.Add(Inbound(key.Key));
        foreach (var write in invocation.Writes)
        {
            foreach (var pair in write.Pairs)
                keys.Add(DynamoWrite(write.Table, pair));
        }
        foreach (var read in invocation.Reads)
            keys.Add(DynamoRead(read.Table, read.Pairs[0]));
        return [.. keys];
    }

    public static StitchKeyRef Outbound(string key) => new(StitchKeyKind.Outbound, key);

    public static StitchKeyRef Inbound(string key) => new(StitchKeyKind.Inbound, key);

    public static StitchKeyRef RequestId(string requestId) => new(StitchKeyKind.RequestId, requestId);

    public static StitchKeyRef DynamoWrite(string table, string pair) => new(StitchKeyKind.DynamoWrite, $"{table}\n{pair}");

    public static StitchKeyRef DynamoRead(string table, string pair) => new(StitchKeyKind.DynamoRead, $"{table}\n{pair}");

    public static StitchHopRow Row(Hop hop) => new(Row(hop.From), Row(hop.To), (byte)hop.Kind, hop.Service, hop.Resource, hop.Via,
        UnixNanos(hop.BothArrivedAt), UnixNanos(hop.LinkedAt));

    public static Hop Hop(StitchHopRow row) => new(Id(row.From), Id(row.To), (HopKind)row.Kind, row.Service, row.Resource, row.Via,
        Time(row.BothArrivedUnixNano), Time(row.LinkedAtUnixNano));

    public static StitchTransactionRow Row(TransactionSummary summary) => new(Row(summary.EntryInvocation), summary.StartTimeUnixNano,
        summary.DurationMs, (byte)summary.Status, summary.InvocationCount, summary.ErrorCount, summary.Entry.Kind, summary.Entry.Name, summary.Entry.Resource);

    public static TransactionSummary Summary(StitchTransactionRow row)
    {
        var entry = Id(row.Entry);
        return new TransactionSummary(entry.ToString(), entry, new TransactionEntry(row.EntryKind, row.EntryName, row.EntryResource),
            row.StartTimeUnixNano, row.DurationMs, (StatusCode)row.Status, row.InvocationCount, row.ErrorCount);
    }

    public static StitchTransactionQuery Query(TransactionFilter filter, int limit) =>
        new(filter.FromUnixNano, filter.ToUnixNano, filter.Status is { } status ? (byte)status : null, filter.Entry, limit);

    private static long UnixNanos(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static DateTimeOffset Time(long unixNanos) => DateTimeOffset.UnixEpoch.AddTicks(unixNanos / 100);
}

/// <summary>The JSON of stored span facts and invocations (source-generated; computed properties are not stored).</summary>
[JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(SpanFacts))]
[JsonSerializable(typeof(Invocation))]
internal sealed partial class StitchJson : JsonSerializerContext;
