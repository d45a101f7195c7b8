namespace Threadline.Storage.Retention;

/// <summary>How long data is kept and how many bytes it may take; both enforced by <see cref="RetentionWorker"/>.</summary>
public sealed class RetentionOptions
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>The smallest disk budget accepted: below it the store's own overhead would be most of it.</summary>
    public const long MinDiskBudgetBytes = 1024 * 1024;

    /// <summary>Spans and log records older than this (by start time / time) are deleted; null keeps everything.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>When the stored data takes more bytes than this, the oldest is deleted until it fits; null: no budget.</summary>
    public long? DiskBudgetBytes { get; init; }

    /// <summary>The pause between two passes.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    public bool Enabled => MaxAge is not null || DiskBudgetBytes is not null;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxAge is { } age && age <= TimeSpan.Zero)
            errors.Add($"The retention must be a positive age such as 7d or 12h (got {age}).");
        if (DiskBudgetBytes is < MinDiskBudgetBytes)
            errors.Add($"The disk budget must be at least 1MB (got {DiskBudgetBytes} bytes).");
        if (Interval <= TimeSpan.Zero)
            errors.Add($"The retention interval must be positive (got {Interval}).");
        return errors;
    }
}
