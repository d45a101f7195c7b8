using Threadline.Telemetry;

namespace Threadline.Storage.Retention;

/// <summary>
/// The latest retention cutoff a derivation has forgotten its records before. A derivation that runs outside the
/// writer's turn (a catch-up page, the derive role's round, the search worker) may have read records before the store
/// deleted them; deriving them after the forgetting would bring them back for good, since the next pass deletes nothing
/// and tells no one. So each derivation drops what is older than its floor. Not synchronized: the owner raises and reads
/// it under its own derivation lock.
/// </summary>
public sealed class RetentionFloor
{
    private long _cutoffUnixNano = long.MinValue;

    /// <summary>Records started (spans) or timed (logs) before this were deleted.</summary>
    public long CutoffUnixNano => _cutoffUnixNano;

    public void Raise(long cutoffUnixNano) => _cutoffUnixNano = Math.Max(_cutoffUnixNano, cutoffUnixNano);

    public bool Keeps(long startUnixNano) => startUnixNano >= _cutoffUnixNano;

    public IReadOnlyList<SpanRecord> Spans(IReadOnlyList<SpanRecord> spans)
    {
        if (_cutoffUnixNano == long.MinValue || !spans.Any(s => s.StartTimeUnixNano < _cutoffUnixNano))
            return spans;
        return [.. spans.Where(s => s.StartTimeUnixNano >= _cutoffUnixNano)];
    }

    public IReadOnlyList<LogRecord> Logs(IReadOnlyList<LogRecord> logs)
    {
        if (_cutoffUnixNano == long.MinValue || !logs.Any(l => l.TimeUnixNano < _cutoffUnixNano))
            return logs;
        return [.. logs.Where(l => l.TimeUnixNano >= _cutoffUnixNano)];
    }
}
