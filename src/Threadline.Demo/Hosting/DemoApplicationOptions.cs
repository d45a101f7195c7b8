namespace Threadline.Demo.Hosting;

/// <summary>Where the demo's functions export their telemetry, and how the sandbox runs.</summary>
public sealed class DemoApplicationOptions
{
    /// <summary>The Threadline server's OTLP/HTTP base address.</summary>
    public required Uri OtlpEndpoint { get; init; }

    /// <summary>The ingest token the functions send, when the server requires one.</summary>
    public string? IngestToken { get; init; }

    /// <summary>The sandbox's port on 127.0.0.1; 0 picks a free one.</summary>
    public int SandboxPort { get; init; }

    /// <summary>Longest a traced function waits for its export before returning.</summary>
    public TimeSpan FlushBudget { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Real seconds per minute of <c>rate(...)</c> schedules: the lunch bot's <c>rate(1 minute)</c> fires this often.</summary>
    public TimeSpan ScheduleMinute { get; init; } = TimeSpan.FromSeconds(10);
}
