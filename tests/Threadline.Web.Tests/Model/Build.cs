using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Tests.Model;

/// <summary>Small transactions for the view-model tests: times in milliseconds from a fixed start.</summary>
internal static class Build
{
    public const long Start = 1_800_000_000_000_000_000;

    private static readonly ResourceRecord Resource = new(1, "demo", [], null);
    private static readonly ScopeRecord Scope = new(1, "tests", null, []);

    public static long At(double ms) => Start + (long)(ms * 1_000_000);

    public static Invocation Invocation(UInt128 trace, ulong span, string function, double startMs, double endMs, Trigger trigger,
        IReadOnlyList<ulong>? spans = null, string? error = null) => new()
    {
        Id = new InvocationId(trace, span),
        Function = function,
        Service = function,
        IsLambda = true,
        RequestId = $"req-{function}-{span}",
        Name = function,
        StartTimeUnixNano = At(startMs),
        EndTimeUnixNano = At(endMs),
        Status = error is null ? StatusCode.Ok : StatusCode.Error,
        Error = error,
        Trigger = trigger,
        SpanIds = spans ?? [span],
    };

    public static SpanRecord Span(UInt128 trace, ulong span, ulong parent, string name, SpanKind kind, double startMs, double endMs,
        string? error = null, params KeyValue[] attributes) => new()
    {
        TraceId = trace,
        SpanId = span,
        ParentSpanId = parent,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = At(startMs),
        EndTimeUnixNano = At(endMs),
        StatusCode = error is null ? StatusCode.Unset : StatusCode.Error,
        StatusMessage = error,
        Attributes = attributes,
        Resource = Resource,
        Scope = Scope,
    };

    public static Transaction Transaction(IReadOnlyList<Invocation> invocations, IReadOnlyList<Hop> hops)
    {
        var entry = invocations[0];
        var failed = invocations.Count(i => i.Status == StatusCode.Error);
        var summary = new TransactionSummary(entry.Id.ToString(), entry.Id, new TransactionEntry(entry.Trigger.Kind, entry.Function, entry.Trigger.Resource),
            entry.StartTimeUnixNano, (invocations.Max(i => i.EndTimeUnixNano) - entry.StartTimeUnixNano) / 1e6,
            failed > 0 ? StatusCode.Error : StatusCode.Ok, invocations.Count, failed);
        return new Transaction(summary, invocations, hops);
    }

    public static Hop Hop(Invocation from, Invocation to, HopKind kind, string service, string? resource) =>
        new(from.Id, to.Id, kind, service, resource, "test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
