using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// Which conditions were notified when (deduplication), and the recent notifications. Kept in memory and, when a
/// folder is given, in <c>analysis-alerts.json</c> there, so a restart neither repeats an alert nor swallows one that
/// became due while Threadline was down.
/// </summary>
public sealed class AlertLedger
{
    public const int RecentLimit = 200;
    private const string FileName = "analysis-alerts.json";

    private static readonly JsonSerializerOptions FileJson = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _notified = [];
    private readonly LinkedList<AlertNotification> _recent = new();
    private readonly string? _path;
    private bool _written;

    public AlertLedger(string? folder = null)
    {
        _path = folder is null ? null : Path.Combine(folder, FileName);
        if (_path is null || !File.Exists(_path))
            return;
        var saved = Read(_path);
        foreach (var (key, time) in saved.Notified)
            _notified[key] = time;
        foreach (var notification in saved.Recent.Take(RecentLimit))
            _recent.AddLast(notification);
        Restored = true;
        _written = true;
    }

    /// <summary>Whether the ledger was read from the data folder (else the conditions that hold at start are primed).</summary>
    public bool Restored { get; }

    /// <summary>
    /// Decides which of the conditions found now are to be sent: unseen keys, and level conditions notified longer than
    /// <paramref name="renotify"/> ago. Level conditions not found now are cleared, so they fire again when they return.
    /// </summary>
    public IReadOnlyList<(AlertCondition Condition, bool Renotification)> Due(IReadOnlyList<AlertCondition> found, DateTimeOffset now, TimeSpan renotify)
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
                changed = true;
            }
            var active = found.Where(c => c.Level).Select(c => c.Key).ToHashSet();
            foreach (var cleared in _notified.Keys.Where(k => k.StartsWith("level|", StringComparison.Ordinal) && !active.Contains(k)).ToList())
                changed |= _notified.Remove(cleared);
            // The first decision is written even when nothing changed: from then on the folder has a ledger, and a restart
            // sends what became due while Threadline was down instead of priming it away.
            if (changed || !_written)
                Save();
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
            Save();
        }
    }

    /// <summary>Latest first.</summary>
    public IReadOnlyList<AlertNotification> Recent()
    {
        lock (_gate)
            return [.. _recent];
    }

    private static Saved Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Saved>(File.ReadAllText(path), FileJson) ?? new Saved([], []);
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
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Saved(_notified, [.. _recent]), FileJson));
        File.Move(temporary, _path, overwrite: true);
        _written = true;
    }

    private sealed record Saved(Dictionary<string, DateTimeOffset> Notified, List<AlertNotification> Recent);
}
