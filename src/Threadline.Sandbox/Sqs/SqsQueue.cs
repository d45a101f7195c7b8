namespace Threadline.Sandbox.Sqs;

/// <summary>A standard queue: its attributes and messages. Guarded by the owning service's lock.</summary>
internal sealed class SqsQueue(string name, string arn, string url, DateTimeOffset created)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public string Url { get; } = url;

    public DateTimeOffset Created { get; } = created;

    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Delay { get; set; }

    public string? RedrivePolicy { get; set; }

    public string? DeadLetterTargetArn { get; set; }

    public int MaxReceiveCount { get; set; }

    public List<SqsMessage> Messages { get; } = [];

    public AsyncSignal Arrived { get; } = new();

    /// <summary>The earliest moment a message that is not yet visible becomes visible again.</summary>
    public DateTimeOffset? NextVisible(DateTimeOffset now) =>
        Messages.Where(m => m.VisibleAt > now).Select(m => (DateTimeOffset?)m.VisibleAt).Min();
}
