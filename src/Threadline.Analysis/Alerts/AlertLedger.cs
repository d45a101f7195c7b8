namespace Threadline.Analysis.Alerts;

/// <summary>Which conditions were notified when (deduplication), and the recent notifications.</summary>
public sealed class AlertLedger
{
    public const int RecentLimit = 200;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _notified = [];
    private readonly LinkedList<AlertNotification> _recent = new();

    /// <summary>
    /// Decides which of the conditions found now are to be sent: unseen keys, and level conditions notified longer than
    /// <paramref name="renotify"/> ago. Level conditions not found now are cleared, so they fire again when they return.
    /// </summary>
    public IReadOnlyList<(AlertCondition Condition, bool Renotification)> Due(IReadOnlyList<AlertCondition> found, DateTimeOffset now, TimeSpan renotify)
    {
        lock (_gate)
        {
            var due = new List<(AlertCondition, bool)>();
            foreach (var condition in found)
            {
                if (!_notified.TryGetValue(condition.Key, out var last))
                    due.Add((condition, false));
                else if (condition.Level && now - last >= renotify)
                    due.Add((condition, true));
                else
                    continue;
                _notified[condition.Key] = now;
            }
            var active = found.Where(c => c.Level).Select(c => c.Key).ToHashSet();
            foreach (var cleared in _notified.Keys.Where(k => k.StartsWith("level|", StringComparison.Ordinal) && !active.Contains(k)).ToList())
                _notified.Remove(cleared);
            return due;
        }
    }

    public void Add(AlertNotification notification)
    {
        lock (_gate)
        {
            _recent.AddFirst(notification);
            while (_recent.Count > RecentLimit)
                _recent.RemoveLast();
        }
    }

    /// <summary>Latest first.</summary>
    public IReadOnlyList<AlertNotification> Recent()
    {
        lock (_gate)
            return [.. _recent];
    }
}
