using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Configuration;
using Threadline.Storage.ClickHouse.Derived.Analysis;
using Threadline.Storage.ClickHouse.Derived.Search;
using Threadline.Storage.ClickHouse.Derived.Stitching;
using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Analysis;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The ClickHouse backend (<c>--store clickhouse</c>, docs/clickhouse.md): every store is a set of tables in one
/// database of a ClickHouse server, each store with a client of its own. The telemetry store creates the database and
/// its schema, so it opens first. Opening is asynchronous underneath (HTTP) and waited for here: stores open once, at
/// start, where an unreachable or refusing server must stop the start with its reason.
/// </summary>
public sealed class ClickHouseStorageBackend(ClickHouseConnectionOptions connection) : IStorageBackend
{
    public const string BackendName = "clickhouse";

    public string Name => BackendName;

    public ClickHouseConnectionOptions Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    public ITelemetryStore OpenTelemetryStore() =>
        Wait(ClickHouseTelemetryStore.OpenAsync(new ClickHouseStoreOptions { Connection = Connection }, logger: null, CancellationToken.None));

    public IAlertConfigurationStore OpenAlertConfigurationStore() =>
        Wait(ClickHouseAlertConfigurationStore.OpenAsync(Connection, CancellationToken.None));

    public IStitchStore OpenStitchStore() => Wait(ClickHouseStitchStore.OpenAsync(Connection, CancellationToken.None));

    public IAnalysisStore OpenAnalysisStore() => Wait(ClickHouseAnalysisStore.OpenAsync(Connection, CancellationToken.None));

    public ISearchIndexStore OpenSearchIndexStore() => Wait(ClickHouseSearchIndexStore.OpenAsync(Connection, CancellationToken.None));

    private static T Wait<T>(Task<T> opening) => opening.GetAwaiter().GetResult();
}
