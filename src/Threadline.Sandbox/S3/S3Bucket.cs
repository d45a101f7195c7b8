namespace Threadline.Sandbox.S3;

/// <summary>A stored object.</summary>
internal sealed record S3Object(string Key, byte[] Data, string ETag, string ContentType, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Metadata);

/// <summary>Where a bucket sends its events: a function, queue or topic, for matching event names and keys.</summary>
internal sealed record S3Notification(string Id, string TargetArn, IReadOnlyList<string> Events, string? Prefix, string? Suffix)
{
    public bool Matches(string eventName, string key) =>
        Events.Any(e => e == "s3:" + eventName || (e.EndsWith(":*", StringComparison.Ordinal) && ("s3:" + eventName).StartsWith(e[..^1], StringComparison.Ordinal)))
        && key.StartsWith(Prefix ?? "", StringComparison.Ordinal)
        && key.EndsWith(Suffix ?? "", StringComparison.Ordinal);
}

/// <summary>A bucket: objects and notification configuration. Guarded by the owning service's lock.</summary>
internal sealed class S3Bucket(string name, DateTimeOffset created)
{
    public string Name { get; } = name;

    public DateTimeOffset Created { get; } = created;

    public SortedDictionary<string, S3Object> Objects { get; } = new(StringComparer.Ordinal);

    public List<S3Notification> Notifications { get; } = [];
}
