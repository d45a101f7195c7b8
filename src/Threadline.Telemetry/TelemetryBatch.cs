namespace Threadline.Telemetry;

/// <summary>What one export request carried, normalized: the unit that is stored atomically.</summary>
public sealed record TelemetryBatch(IReadOnlyList<SpanRecord> Spans, IReadOnlyList<LogRecord> Logs)
{
    public static TelemetryBatch Empty { get; } = new([], []);

    public bool IsEmpty => Spans.Count == 0 && Logs.Count == 0;
}
