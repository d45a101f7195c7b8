namespace Threadline.Telemetry;

/// <summary>A batch was not stored, for a reason that a retry later may overcome.</summary>
public sealed class TelemetryRejectedException(string message, TimeSpan retryAfter, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>How long the sender should wait before it tries again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
