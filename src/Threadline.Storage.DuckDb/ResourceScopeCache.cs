using System.Collections.Concurrent;
using DuckDB.NET.Data;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// Every resource and scope the store holds, in memory (there are few: one per process and library).
/// Readers resolve a span's resource from here instead of joining; the writer asks it which ones are new.
/// </summary>
internal sealed class ResourceScopeCache
{
    private static readonly ResourceRecord MissingResource = new(0, "unknown_service", [], null);
    private static readonly ScopeRecord MissingScope = new(0, "", null, []);

    private readonly ConcurrentDictionary<ulong, ResourceRecord> _resources = new();
    private readonly ConcurrentDictionary<ulong, ScopeRecord> _scopes = new();

    public void Load(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, service, attributes, schema_url, dropped_attributes_count FROM resources";
        using (var row = command.ExecuteReader())
        {
            while (row.Read())
            {
                var id = row.GetFieldValue<ulong>(0);
                _resources[id] = new ResourceRecord(id, row.GetString(1), TelemetryJson.ReadAttributes(row.GetString(2)),
                    row.IsDBNull(3) ? null : row.GetString(3), row.GetFieldValue<uint>(4));
            }
        }
        command.CommandText = "SELECT id, name, version, attributes, dropped_attributes_count FROM scopes";
        using (var row = command.ExecuteReader())
        {
            while (row.Read())
            {
                var id = row.GetFieldValue<ulong>(0);
                _scopes[id] = new ScopeRecord(id, row.GetString(1), row.IsDBNull(2) ? null : row.GetString(2),
                    TelemetryJson.ReadAttributes(row.GetString(3)), row.GetFieldValue<uint>(4));
            }
        }
    }

    public bool IsKnown(ResourceRecord resource) => _resources.ContainsKey(resource.Id);

    public bool IsKnown(ScopeRecord scope) => _scopes.ContainsKey(scope.Id);

    /// <summary>
    /// Called by the writer before it commits the rows that introduce these, so that no reader ever sees a
    /// committed span whose resource is not here yet; <see cref="Remove"/> undoes it when the commit fails.
    /// </summary>
    public void Add(IEnumerable<ResourceRecord> resources, IEnumerable<ScopeRecord> scopes)
    {
        foreach (var resource in resources)
            _resources.TryAdd(resource.Id, resource);
        foreach (var scope in scopes)
            _scopes.TryAdd(scope.Id, scope);
    }

    public void Remove(IEnumerable<ResourceRecord> resources, IEnumerable<ScopeRecord> scopes)
    {
        foreach (var resource in resources)
            _resources.TryRemove(resource.Id, out _);
        foreach (var scope in scopes)
            _scopes.TryRemove(scope.Id, out _);
    }

    public ResourceRecord Resource(ulong id) => _resources.TryGetValue(id, out var resource) ? resource : MissingResource;

    public ScopeRecord Scope(ulong id) => _scopes.TryGetValue(id, out var scope) ? scope : MissingScope;
}
