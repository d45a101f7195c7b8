using System.Collections.Concurrent;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Telemetry;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The resources and scopes the store has seen (there are few: one per process and library), so readers resolve a
/// span's resource without a join. Loaded at open; the store adds what it writes before the write becomes visible.
/// </summary>
internal sealed class ResourceScopeCache
{
    public static readonly ResourceRecord MissingResource = new(0, "unknown_service", [], null);
    public static readonly ScopeRecord MissingScope = new(0, "", null, []);

    private readonly ConcurrentDictionary<ulong, ResourceRecord> _resources = new();
    private readonly ConcurrentDictionary<ulong, ScopeRecord> _scopes = new();

    public bool IsKnown(ResourceRecord resource) => _resources.ContainsKey(resource.Id);

    public bool IsKnown(ScopeRecord scope) => _scopes.ContainsKey(scope.Id);

    public void Add(IEnumerable<ResourceRecord> resources, IEnumerable<ScopeRecord> scopes)
    {
        foreach (var resource in resources)
            _resources.TryAdd(resource.Id, resource);
        foreach (var scope in scopes)
            _scopes.TryAdd(scope.Id, scope);
    }

    public ResourceRecord Resource(ulong id) => _resources.TryGetValue(id, out var resource) ? resource : MissingResource;

    public ScopeRecord Scope(ulong id) => _scopes.TryGetValue(id, out var scope) ? scope : MissingScope;

    public async Task LoadAsync(ClickHouseClient client, CancellationToken cancellationToken)
    {
        foreach (var resource in await client.QueryAsync($"SELECT {string.Join(", ", SpanRows.ResourceColumns)} FROM resources LIMIT 1 BY id", SpanRows.ReadResource, cancellationToken).ConfigureAwait(false))
            _resources.TryAdd(resource.Id, resource);
        foreach (var scope in await client.QueryAsync($"SELECT {string.Join(", ", SpanRows.ScopeColumns)} FROM scopes LIMIT 1 BY id", SpanRows.ReadScope, cancellationToken).ConfigureAwait(false))
            _scopes.TryAdd(scope.Id, scope);
    }
}
