using System.Text.Json;
using System.Text.Json.Serialization;
using Threadline.Storage.Configuration;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// Which conditions were notified when (deduplication), which of them are still open (to notify their resolution),
/// the recent notifications (the in-app list) and how far they were read. Kept in memory and, when a store is given,
/// in the store as one document (the setting <c>alert-ledger</c> of <see cref="IAlertConfigurationStore"/>: small and
/// bounded, at most <see cref="RecentLimit"/> notifications), so a restart neither repeats an alert nor swallows one
/// that became due while Threadline was down, on any backend.
/// </summary>
public sealed class AlertLedger
{
    public const int RecentLimit = 200;
    public const string DocumentId = "alert-ledger";
    /// <summary>Where versions before the ledger moved into the store kept it, in the data folder.</summary>
    public const string LegacyFileName = "analysis-alerts.json";

    private static readonly JsonSerializerOptions FileJson = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _notified = [];
    private readonly Dictionary<string, OpenAlert> _open = [];
    private readonly LinkedList<AlertNotification> _recent = new();
    private readonly IAlertConfigurationStore? _store;
    private DateTimeOffset? _readUpTo;
    private bool _written;

    /// <summary>A ledger in memory only (nothing survives a restart).</summary>
    public AlertLedger()
    {
    }

    /// <summary>
    /// The ledger kept in the store. A data folder written before the ledger moved there holds it in
    /// <see cref="LegacyFileName"/>: when the store has none, that file is imported once and renamed to <c>*.imported</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored ledger or the file to import is damaged (the message says where).</exception>
    public AlertLedger(IAlertConfigurationStore store, string? legacyFolder)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        var stored = _store.GetAsync(DocumentKind.Setting, DocumentId, CancellationToken.None).GetAwaiter().GetResult();
        if (stored is not null)
        {
            Restore(Parse(stored.Json, $"The alert ledger (setting '{DocumentId}' in the store)", "delete that setting to start afresh"));
            return;
        }
        var legacy = legacyFolder is null ? null : Path.Combine(legacyFolder, LegacyFileName);
        if (legacy is null || !File.Exists(legacy))
            return;
        Restore(Parse(File.ReadAllText(legacy), $"The alert ledger {legacy}", "move it away to start afresh"));
        Save();
        File.Move(legacy, legacy + ".imported", overwrite: true);
    }

    private void Restore(Saved saved)
    {
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

    /// <summary>Whether the ledger was read from the store (else the conditions that hold at start are primed).</summary>
    public bool Restored { get; private set; }

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
            // The first decision is written even when nothing changed: from then on the store has a ledger, and a restart
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

    private static Saved Parse(string json, string what, string remedy)
    {
        try
        {
            return JsonSerializer.Deserialize<Saved>(json, FileJson) ?? new Saved([], [], null, null);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not valid JSON ({e.Message}); {remedy}.", e);
        }
    }

    /// <summary>Under the gate. Synchronous: the evaluation loop and the API's mark-as-read wait for the store (rare, small writes).</summary>
    private void Save()
    {
        if (_store is null)
            return;
        var json = JsonSerializer.Serialize(new Saved(_notified, [.. _recent], [.. _open.Values], _readUpTo), FileJson);
        _store.PutAsync(DocumentKind.Setting, DocumentId, json, expectedVersion: null, CancellationToken.None).GetAwaiter().GetResult();
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
