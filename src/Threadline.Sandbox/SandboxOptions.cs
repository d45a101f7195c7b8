using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox;

/// <summary>Configuration of a <see cref="SandboxHost"/>.</summary>
public sealed class SandboxOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (read it back from <see cref="SandboxHost.Endpoint"/>).</summary>
    public int Port { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string AccountId { get; set; } = "000000000000";

    /// <summary>An execution environment idle for longer is reclaimed: the next invocation is a cold start.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay before each retry of a failed asynchronous (Event) invocation; Lambda retries twice.</summary>
    public TimeSpan AsyncRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before an event-source mapping retries a failed stream batch.</summary>
    public TimeSpan StreamRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often <c>rate(...)</c> schedules fire, per unit of their expression; 1 is real time.</summary>
    public double ScheduleTimeScale { get; set; } = 1;

    /// <summary>How many of the latest invocations <see cref="FunctionHost.Invocations"/> keeps.</summary>
    public int InvocationLogCapacity { get; set; } = 10_000;

    /// <summary>Applied to each handler when an execution environment is created (for example a tracer).</summary>
    public HandlerWrapper? HandlerWrapper { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
