using System.Collections.Concurrent;
using System.Text.Json;
using Threadline.Analysis.Ingest;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// Deployments recorded through <c>POST /api/deployments</c>: kept in the store
/// (<see cref="IAnalysisStore.RecordDeploymentAsync"/>) and in memory (they are few; detected deployments are derived
/// from the spans). A data folder from before kept them in <c>analysis-deployments.json</c>: what the store lacks is
/// imported once, at start, and the file renamed to <c>analysis-deployments.json.imported</c>. On a store other processes
/// share (<paramref name="reloadAfter"/>), the memory copy is read again once it is that old.
/// </summary>
public sealed class DeploymentLog
{
    public const string LegacyFileName = "analysis-deployments.json";

    private readonly ConcurrentDictionary<(string Function, string Version), DateTimeOffset> _recorded = new();
    private readonly IAnalysisStore? _store;
    private readonly SharedReload? _reload;

    public DeploymentLog(IAnalysisStore? store, string? legacyFolder = null, TimeSpan? reloadAfter = null)
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
            foreach (var entry in JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path)) ?? [])
            {
                if (!_recorded.ContainsKey((entry.Function, entry.Version)))
                    Record(entry.Function, entry.Version, entry.Time);
            }
            if (store is not null)
                File.Move(path, path + ".imported", overwrite: true);
        }
    }

    public IReadOnlyList<Deployment> Recorded
    {
        get
        {
            _reload?.IfDue();
            return [.. _recorded.Select(r => new Deployment(r.Key.Function, r.Key.Version, r.Value, null, Recorded: true))];
        }
    }

    private void Load(IAnalysisStore store)
    {
        foreach (var deployment in StoreAnalysisView.Wait(store.ListRecordedDeploymentsAsync(CancellationToken.None)))
            _recorded[(deployment.Function, deployment.Version)] = Time.FromUnixNanos(deployment.TimeUnixNano);
    }

    public void Record(string function, string version, DateTimeOffset time)
    {
        if (_store is not null)
        {
            var recorded = _store.RecordDeploymentAsync(new RecordedDeployment(function, version, Time.ToUnixNanos(time)), CancellationToken.None);
            recorded.GetAwaiter().GetResult();
        }
        _recorded[(function, version)] = time;
    }

    private sealed record Entry(string Function, string Version, DateTimeOffset Time);
}
