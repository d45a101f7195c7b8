using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Logs;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Bench.Workload;

/// <summary>
/// Packs invocations into OTLP export requests of about <c>spansPerRequest</c> spans (and log requests of
/// about as many records), one ResourceSpans per function, the way a collector or a batching exporter would.
/// </summary>
internal sealed class OtlpBatcher(int spansPerRequest)
{
    private readonly Dictionary<FunctionSpec, ScopeSpans> _spans = [];
    private readonly Dictionary<FunctionSpec, ScopeLogs> _logs = [];
    private int _spanCount;
    private int _logCount;

    public event Action<ExportTraceServiceRequest, int>? TracesReady;

    public event Action<ExportLogsServiceRequest, int>? LogsReady;

    public void Add(GeneratedInvocation invocation)
    {
        if (!_spans.TryGetValue(invocation.Function, out var scopeSpans))
            _spans[invocation.Function] = scopeSpans = new ScopeSpans { Scope = invocation.Function.Scope };
        scopeSpans.Spans.AddRange(invocation.Spans);
        _spanCount += invocation.Spans.Count;
        if (!_logs.TryGetValue(invocation.Function, out var scopeLogs))
            _logs[invocation.Function] = scopeLogs = new ScopeLogs { Scope = invocation.Function.Scope };
        scopeLogs.LogRecords.AddRange(invocation.Logs);
        _logCount += invocation.Logs.Count;
        if (_spanCount >= spansPerRequest)
            FlushSpans();
        if (_logCount >= spansPerRequest)
            FlushLogs();
    }

    /// <summary>
    /// Generates the transactions of <paramref name="options"/> until about <paramref name="spans"/> spans, packs
    /// them into requests (raising the events) and flushes the rest; each transaction is also handed to
    /// <paramref name="each"/>.
    /// </summary>
    public static void Produce(WorkloadOptions options, long spans, Action<ExportTraceServiceRequest, int> traces,
        Action<ExportLogsServiceRequest, int> logs, Action<GeneratedTransaction>? each = null)
    {
        var generator = new TransactionGenerator(options.Seed, options.Payloads, options.StartUnixNano, options.SpacingNanos);
        var batcher = new OtlpBatcher(options.SpansPerRequest);
        batcher.TracesReady += traces;
        batcher.LogsReady += logs;
        long generated = 0;
        while (generated < spans)
        {
            var transaction = generator.Next();
            foreach (var invocation in transaction.Invocations)
                batcher.Add(invocation);
            generated += transaction.SpanCount;
            each?.Invoke(transaction);
        }
        batcher.Flush();
    }

    public void Flush()
    {
        FlushSpans();
        FlushLogs();
    }

    private void FlushSpans()
    {
        if (_spanCount == 0)
            return;
        var request = new ExportTraceServiceRequest();
        foreach (var (function, scopeSpans) in _spans)
            request.ResourceSpans.Add(new ResourceSpans { Resource = function.Resource, ScopeSpans = { scopeSpans } });
        TracesReady?.Invoke(request, _spanCount);
        _spans.Clear();
        _spanCount = 0;
    }

    private void FlushLogs()
    {
        if (_logCount == 0)
            return;
        var request = new ExportLogsServiceRequest();
        foreach (var (function, scopeLogs) in _logs)
            request.ResourceLogs.Add(new ResourceLogs { Resource = function.Resource, ScopeLogs = { scopeLogs } });
        LogsReady?.Invoke(request, _logCount);
        _logs.Clear();
        _logCount = 0;
    }
}
