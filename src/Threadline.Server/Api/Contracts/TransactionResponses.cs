namespace Threadline.Server.Api.Contracts;

/// <summary>What started a transaction: the trigger kind, the entry function, and the route, topic, queue… it came from.</summary>
public sealed record EntryResponse(string? Kind, string Name, string? Resource);

/// <summary>One row of <c>GET /api/transactions</c>; <c>status</c> is "ok" or "error".</summary>
public sealed record TransactionSummaryResponse(
    string Id,
    EntryResponse Entry,
    long StartTimeUnixNano,
    double DurationMs,
    string Status,
    int InvocationCount,
    int ErrorCount);

public sealed record TransactionListResponse(IReadOnlyList<TransactionSummaryResponse> Transactions);

public sealed record TriggerResponse(string? Kind, string? Resource);

/// <summary>One invocation: a Lambda execution, or a root / SERVER / CONSUMER span of another service.</summary>
public sealed record InvocationResponse(
    string Id,
    string Function,
    string Service,
    string? RequestId,
    string TraceId,
    string SpanId,
    long StartTimeUnixNano,
    double DurationMs,
    string Status,
    bool ColdStart,
    bool Retry,
    TriggerResponse Trigger,
    string? Error);

/// <summary>
/// A link between invocations: <c>kind</c> "sync" or "async"; <c>via</c> names the correlation source;
/// <c>stitchLagMs</c> is how long after both sides had arrived the link appeared.
/// </summary>
public sealed record HopResponse(string From, string To, string Kind, string Service, string? Resource, string Via, double StitchLagMs);

/// <summary>A box of the transaction graph: kind "function", or a queue, topic, stream, table, bucket, bus, API or host.</summary>
public sealed record NodeResponse(string Id, string Kind, string Name);

public sealed record EdgeResponse(string From, string To, string Kind, int Count);

/// <summary><c>GET /api/transactions/{id}</c>: the whole transaction, with its graph and every span for the timeline.</summary>
public sealed record TransactionResponse(
    string Id,
    EntryResponse Entry,
    string Status,
    long StartTimeUnixNano,
    double DurationMs,
    IReadOnlyList<InvocationResponse> Invocations,
    IReadOnlyList<HopResponse> Hops,
    IReadOnlyList<NodeResponse> Nodes,
    IReadOnlyList<EdgeResponse> Edges,
    IReadOnlyList<SpanResponse> Spans);

/// <summary>
/// <c>GET /api/invocations/{id}</c>: one invocation with what it received (<c>event</c>), returned
/// (<c>response</c>), logged and called, the transactions it belongs to, and the hops in and out of it.
/// </summary>
public sealed record InvocationDetailResponse(
    InvocationResponse Invocation,
    IReadOnlyList<string> Transactions,
    object? Event,
    object? Response,
    IReadOnlyList<SpanResponse> Spans,
    IReadOnlyList<SpanResponse> OutgoingCalls,
    IReadOnlyList<LogResponse> Logs,
    IReadOnlyList<HopResponse> IncomingHops,
    IReadOnlyList<HopResponse> OutgoingHops);

/// <summary>
/// <c>GET /api/stitching</c>: hops linked since start, and how long after both sides of a hop had arrived its link
/// appeared (percentiles over the most recent 10,000 links).
/// </summary>
public sealed record StitchingResponse(long LinkedHops, double LagP50Ms, double LagP99Ms, double LagMaxMs);
