using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Analysis.Tests;

/// <summary>
/// The analysis as it was kept before it moved to the store, in the tests only as the reference model: every span's
/// details in memory, and on each batch every touched trace's invocations analyzed again.
/// </summary>
internal sealed class ReferenceAnalysis(StitchEngine engine, SpanDetailsReader reader, InvocationAnalyzer analyzer)
{
    private readonly Dictionary<UInt128, Dictionary<ulong, SpanDetails>> _spans = [];
    private readonly Dictionary<UInt128, HashSet<InvocationId>> _byTrace = [];

    public Dictionary<InvocationId, AnalyzedInvocation> Invocations { get; } = [];

    public void Apply(IReadOnlyList<SpanRecord> spans)
    {
        var traces = new HashSet<UInt128>();
        foreach (var span in spans)
        {
            if (!_spans.TryGetValue(span.TraceId, out var trace))
                _spans[span.TraceId] = trace = [];
            if (trace.TryAdd(span.SpanId, reader.Read(span)))
                traces.Add(span.TraceId);
        }
        foreach (var traceId in traces)
        {
            foreach (var gone in _byTrace.GetValueOrDefault(traceId) ?? [])
                Invocations.Remove(gone);
            var ids = new HashSet<InvocationId>();
            foreach (var invocation in engine.FindByTraceId(traceId))
            {
                Invocations[invocation.Id] = analyzer.Analyze(invocation, _spans[traceId]);
                ids.Add(invocation.Id);
            }
            _byTrace[traceId] = ids;
        }
    }
}
