using Threadline.Telemetry;

namespace Threadline.Ingest.Receive.Udp;

/// <summary>
/// In Lambda the X-Ray SDK sends only independent subsegments: their parent is the function's facade segment, which
/// the Lambda service records and which never reaches a self-hosted backend. So that those subsegments form one
/// invocation (not one each), Threadline stores a stand-in span with the facade's id once no subsegment of it has
/// arrived for <see cref="Quiet"/> (or <see cref="MaxWait"/> after the first), spanning the subsegments seen. A parent
/// id that arrives as a document of its own (a subsegment streamed after its children) is no facade and gets none.
/// Memory is bounded: at most <see cref="Capacity"/> facades wait (beyond, the oldest is stored at once) and the
/// recently seen ids are remembered up to <see cref="SeenCapacity"/>.
/// </summary>
internal sealed class XRayFacades(TimeSpan quiet, TimeSpan maxWait)
{
    public const int Capacity = 10_000;
    public const int SeenCapacity = 100_000;
    public const string Name = "Lambda invocation";
    public const string FacadeAttribute = "threadline.xray.facade";

    private readonly Dictionary<(UInt128 Trace, ulong Span), Pending> _pending = [];
    private readonly HashSet<(UInt128 Trace, ulong Span)> _seen = [];
    private readonly Queue<(UInt128 Trace, ulong Span)> _seenOrder = new();

    public TimeSpan Quiet { get; } = quiet;
    public TimeSpan MaxWait { get; } = maxWait;
    public int Waiting => _pending.Count;

    /// <summary>Notes the spans of one document; <paramref name="facadeParent"/> is the parent of an independent subsegment.</summary>
    public void Observe(IReadOnlyList<SpanRecord> spans, ulong? facadeParent, DateTimeOffset now, List<SpanRecord> overflow)
    {
        foreach (var span in spans)
        {
            _pending.Remove((span.TraceId, span.SpanId));
            Remember((span.TraceId, span.SpanId));
        }
        if (facadeParent is not { } parent || spans.Count == 0 || _seen.Contains((spans[0].TraceId, parent)))
            return;
        var root = spans[0];
        var key = (root.TraceId, parent);
        if (_pending.TryGetValue(key, out var pending))
        {
            pending.Start = Math.Min(pending.Start, root.StartTimeUnixNano);
            pending.End = Math.Max(pending.End, root.EndTimeUnixNano);
            pending.LastChild = now;
            return;
        }
        if (_pending.Count >= Capacity)
        {
            var oldest = _pending.MinBy(p => p.Value.FirstChild);
            overflow.Add(Emit(oldest.Key, oldest.Value));
        }
        _pending[key] = new Pending(root.Resource, root.Scope, root.StartTimeUnixNano, root.EndTimeUnixNano, now);
    }

    /// <summary>The stand-ins whose wait is over (all of them with <paramref name="all"/>, at shutdown).</summary>
    public void TakeDue(DateTimeOffset now, bool all, List<SpanRecord> due)
    {
        foreach (var (key, pending) in _pending.Where(p => all || now - p.Value.LastChild >= Quiet || now - p.Value.FirstChild >= MaxWait).ToList())
            due.Add(Emit(key, pending));
    }

    private SpanRecord Emit((UInt128 Trace, ulong Span) key, Pending pending)
    {
        _pending.Remove(key);
        Remember(key);
        return new SpanRecord
        {
            TraceId = key.Trace,
            SpanId = key.Span,
            Name = Name,
            Kind = SpanKind.Server,
            StartTimeUnixNano = pending.Start,
            EndTimeUnixNano = pending.End,
            Attributes = [new KeyValue(FacadeAttribute, true)],
            Resource = pending.Resource,
            Scope = pending.Scope,
        };
    }

    private void Remember((UInt128 Trace, ulong Span) key)
    {
        if (!_seen.Add(key))
            return;
        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > SeenCapacity)
            _seen.Remove(_seenOrder.Dequeue());
    }

    private sealed class Pending(ResourceRecord resource, ScopeRecord scope, long start, long end, DateTimeOffset now)
    {
        public ResourceRecord Resource { get; } = resource;
        public ScopeRecord Scope { get; } = scope;
        public long Start { get; set; } = start;
        public long End { get; set; } = end;
        public DateTimeOffset FirstChild { get; } = now;
        public DateTimeOffset LastChild { get; set; } = now;
    }
}
