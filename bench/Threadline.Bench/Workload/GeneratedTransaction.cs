using Threadline.Ingest.Protocol.Logs;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Bench.Workload;

/// <summary>One invocation's telemetry: the spans and log records its function's tracer would export.</summary>
internal sealed record GeneratedInvocation(FunctionSpec Function, UInt128 TraceId, List<Span> Spans, List<LogRecord> Logs);

/// <summary>One transaction: an entry invocation and everything it caused, with the id the stitcher gives it.</summary>
internal sealed record GeneratedTransaction(string Id, List<GeneratedInvocation> Invocations)
{
    public int SpanCount => Invocations.Sum(i => i.Spans.Count);
}
