using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// Which conditions were notified when (deduplication), which of them are still open (to notify their resolution),
/// the recent notifications (the in-app list) and how far they were read. Kept in memory and, when a folder is given,
/// in <c>analysis-alerts.json</c> there, so a restart neither repeats an alert nor swallows one that became due while
/// Threadline was down.
/// </summary>
public sealed class AlertLedger
{
    public const int RecentLimit = 200;
    private const string FileName = "analysis-alerts.json";

    private static readonly JsonSerializerOptions FileJson = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _notified = [];
    private readonly Dictionary<string, OpenAlert> _open = [];
    private readonly LinkedList<AlertNotification> _recent = new();
    private readonly string? _path;
    private DateTimeOffset? _readUpTo;
    private bool _written;

    public AlertLedger(string? folder = null)
    {
        _path = folder is null ? null : Path.Combine(folder, FileName);
        if (_path is null || !File.Exists(_path))
            return;
        var saved = Read(_path);
        foreach (var (key, time) in saved.Notified)
            _notified[key] = time;
        foreach (var open in saved.Open ?? [])
            _open[open.Key] = open;
        foreach (var notification in saved.Recent.Take(RecentLimit))
            _recent.AddLast(notification);
        _readUpTo = saved.ReadUpTo;
        Restored = true;
        _written = true;
    }

    /// <summary>Whether the ledger was read from the data folder (else the conditions that hold at start are primed).</summary>
    public bool Restored { get; }

    /// <summary>
    /// Decides which of the conditions found now are to be sent: unseen keys, and level conditions notified longer than
    /// <paramref name="renotify"/> ago. Level conditions not found now are cleared, so they fire again when they return;
    /// those that were notified come back in <see cref="DueAlerts.Cleared"/> (their resolution is to be notified).
    /// </summary>
    public DueAlerts Due(IReadOnlyList<AlertCondition> found, DateTimeOffset now, TimeSpan renotify)
    {
        ArgumentNullException.ThrowIfNull(found);
        lock (_gate)
        {
            var changed = false;
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
                _open[condition.Key] = OpenAlert.Of(condition);
                changed = true;
            }
            var active = found.Where(c => c.Level).Select(c => c.Key).ToHashSet();
            var cleared = new List<OpenAlert>();
            foreach (var key in _notified.Keys.Where(k => k.StartsWith("level|", StringComparison.Ordinal) && !active.Contains(k)).ToList())
            {
                _notified.Remove(key);
                if (_open.Remove(key, out var open))
                    cleared.Add(open);
                changed = true;
            }
            // The first decision is written even when nothing changed: from then on the folder has a ledger, and a restart
            // sends what became due while Threadline was down instead of priming it away.
            if (changed || !_written)
                Save();
            return new DueAlerts(due, cleared);
        }
    }

    /// <summary>
    /// The open alerts about an issue that is now resolved (<paramref name="resolutionOf"/> says how, or null while it is
    /// not); each is closed, so its resolution is notified once.
    /// </summary>
    public IReadOnlyList<(OpenAlert Alert, string Resolution)> CloseResolvedIssues(Func<string, string?> resolutionOf)
    {
        ArgumentNullException.ThrowIfNull(resolutionOf);
        lock (_gate)
        {
            var closed = new List<(OpenAlert, string)>();
            foreach (var open in _open.Values.Where(o => !o.Level && o.IssueId is not null).ToList())
            {
                if (resolutionOf(open.IssueId!) is not { } resolution)
                    continue;
                _open.Remove(open.Key);
                closed.Add((open, resolution));
            }
            if (closed.Count > 0)
                Save();
            return closed;
        }
    }

    /// <summary>The issues that open alerts (events) are about.</summary>
    public IReadOnlySet<string> OpenIssues()
    {
        lock (_gate)
            return _open.Values.Where(o => !o.Level && o.IssueId is not null).Select(o => o.IssueId!).ToHashSet(StringComparer.Ordinal);
    }

    public void Add(AlertNotification notification)
    {
        lock (_gate)
        {
            _recent.AddFirst(notification);
            while (_recent.Count > RecentLimit)
                _recent.RemoveLast();
            Save();
        }
    }

    /// <summary>Latest first.</summary>
    public IReadOnlyList<AlertNotification> Recent()
    {
        lock (_gate)
            return [.. _recent];
    }

    /// <summary>Notifications newer than the last <see cref="MarkAllRead"/>.</summary>
    public int Unread()
    {
        lock (_gate)
            return _recent.Count(n => _readUpTo is null || n.Time > _readUpTo);
    }

    /// <summary>Marks every notification so far as read (the bell's count goes to zero).</summary>
    public void MarkAllRead()
    {
        lock (_gate)
        {
            if (_recent.First is null)
                return;
            _readUpTo = _recent.Max(n => n.Time);
            Save();
        }
    }

    private static Saved Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Saved>(File.ReadAllText(path), FileJson) ?? new Saved([], [], null, null);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The alert ledger {path} is not valid JSON ({e.Message}); move it away to start afresh.", e);
        }
    }

    private void Save()
    {
        if (_path is null)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Saved(_notified, [.. _recent], [.. _open.Values], _readUpTo), FileJson));
        File.Move(temporary, _path, overwrite: true);
        _written = true;
    }

    private sealed record Saved(Dictionary<string, DateTimeOffset> Notified, List<AlertNotification> Recent, List<OpenAlert>? Open, DateTimeOffset? ReadUpTo);
}

/// <summary>What to send now: new and repeated conditions, and notified level conditions that no longer hold.</summary>
public sealed record DueAlerts(IReadOnlyList<(AlertCondition Condition, bool Renotification)> Due, IReadOnlyList<OpenAlert> Cleared);

/// <summary>A notified condition whose resolution is still to be notified.</summary>
public sealed record OpenAlert(string Key, string RuleId, string RuleName, AlertRuleType Type, bool Level, string? IssueId, string? Function,
    string ResolvedText)
{
    public static OpenAlert Of(AlertCondition condition) => new(condition.Key, condition.Rule.Key, condition.Rule.Name, condition.Rule.Type,
        condition.Level, condition.IssueId, condition.Function, condition.ResolvedText);
}
