using System.Collections.Concurrent;
using System.Text.Json;
using Threadline.Analysis.Ingest;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Issues;

/// <summary>
/// When each issue was last resolved: kept in the store (<see cref="IAnalysisStore.SetResolutionAsync"/>, so a
/// resolution survives a restart; the issues themselves are derived from the spans) and in memory (they are few). A
/// data folder from before kept them in <c>analysis-resolutions.json</c>: what the store lacks is imported once, at
/// start, and the file renamed to <c>analysis-resolutions.json.imported</c>. Without a store (a unit test), memory only.
/// On a store other processes share (<paramref name="reloadAfter"/>), the memory copy is read again once it is that old:
/// another process may have resolved an issue.
/// </summary>
public sealed class ResolutionStore
{
    public const string LegacyFileName = "analysis-resolutions.json";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _resolved = new();
    private readonly IAnalysisStore? _store;
    private readonly SharedReload? _reload;

    public ResolutionStore(IAnalysisStore? store, string? legacyFolder = null, TimeSpan? reloadAfter = null)
    {
        _store = store;
        if (store is not null)
        {
            Load(store);
            if (reloadAfter is { } age)
                _reload = new SharedReload(age, () => Load(store));
        }
        if (legacyFolder is not null && Path.Combine(legacyFolder, LegacyFileName) is var path && File.Exists(path))
        {
            foreach (var (id, time) in JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(File.ReadAllText(path)) ?? [])
            {
                if (!_resolved.ContainsKey(id))
                    Set(id, time);
            }
            if (store is not null)
                File.Move(path, path + ".imported", overwrite: true);
        }
    }

    public DateTimeOffset? Get(string issueId)
    {
        _reload?.IfDue();
        return _resolved.TryGetValue(issueId, out var time) ? time : null;
    }

    private void Load(IAnalysisStore store)
    {
        foreach (var (id, nanos) in StoreAnalysisView.Wait(store.GetResolutionsAsync(CancellationToken.None)))
            _resolved[id] = Time.FromUnixNanos(nanos);
    }

    public void Set(string issueId, DateTimeOffset time)
    {
        _store?.SetResolutionAsync(issueId, Time.ToUnixNanos(time), CancellationToken.None).GetAwaiter().GetResult();
        _resolved[issueId] = time;
    }
}
