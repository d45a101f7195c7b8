namespace Threadline.Telemetry;

/// <summary>Where normalized telemetry goes after a receiver has decoded and validated it.</summary>
public interface ITelemetrySink
{
    /// <summary>
    /// Completes once the whole batch is durable (committed). Throws <see cref="TelemetryRejectedException"/>
    /// when the batch cannot be taken now; nothing of it is then stored and the sender may retry.
    /// </summary>
    ValueTask WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken);
}
