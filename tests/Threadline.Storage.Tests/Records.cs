using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>Builders for telemetry records, shared by the conformance suite and the sink tests.</summary>
internal static class Records
{
    public static readonly ResourceRecord Checkout = new(11, "checkout",
        [new("service.name", "checkout"), new("cloud.region", "eu-west-1")], "https://opentelemetry.io/schemas/1.26.0");

    public static readonly ResourceRecord Notify = new(12, "notify", [new("service.name", "notify")], null, 2);

    public static readonly ScopeRecord Scope = new(21, "threadline.tracer", "0.1.0", [new("library.kind", "tracer")]);

    public static UInt128 NewTraceId() => new((ulong)Random.Shared.NextInt64(1, long.MaxValue), (ulong)Random.Shared.NextInt64());

    public static ulong NewSpanId() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    public static SpanRecord Span(UInt128 traceId, string name, long start, ResourceRecord? resource = null, ulong parent = 0,
        IReadOnlyList<KeyValue>? attributes = null, IReadOnlyList<SpanLink>? links = null, StatusCode status = StatusCode.Unset,
        string? statusMessage = null) => new()
    {
        Attributes = attributes ?? [],
        Links = links ?? [],
        StatusCode = status,
        StatusMessage = statusMessage,
        TraceId = traceId,
        SpanId = NewSpanId(),
        ParentSpanId = parent,
        Name = name,
        Kind = SpanKind.Server,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + 1_500_000,
        Resource = resource ?? Checkout,
        Scope = Scope,
    };

    public static LogRecord Log(UInt128 traceId, ulong spanId, long time, object? body) => new()
    {
        TimeUnixNano = time,
        ObservedTimeUnixNano = time + 5,
        TraceId = traceId,
        SpanId = spanId,
        SeverityNumber = 17,
        SeverityText = "Error",
        Body = body,
        Attributes = [new("code.function", "Send")],
        Resource = Notify,
        Scope = Scope,
    };
}
