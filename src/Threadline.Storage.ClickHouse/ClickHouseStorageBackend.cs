using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Configuration;
using Threadline.Storage.ClickHouse.Derived.Analysis;
using Threadline.Storage.ClickHouse.Derived.Search;
using Threadline.Storage.ClickHouse.Derived.Stitching;
using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Analysis;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.Sharing;

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

    /// <summary>Span and log records a derive process takes in one round at most (whole commits).</summary>
    public const int DeriveRoundRecords = 10_000;

    /// <summary>The length of the derivation lease (<see cref="OpenDerivationLease"/>).</summary>
    public static readonly TimeSpan DerivationLeaseLength = TimeSpan.FromSeconds(15);

    public ClickHouseConnectionOptions Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>
    /// Other processes write the same database (<c>--role</c> other than <c>all</c>): the span store takes shared-writer
    /// sequences, the derived stores leave cleaning up to the derivation lease's holder and follow its writes.
    /// </summary>
    public bool SharedDatabase { get; init; }

    /// <summary>
    /// With <see cref="SharedDatabase"/>: the span store looks for other processes' commits only when asked
    /// (<see cref="ITelemetryStore.RefreshCommitsAsync"/>), so a derivation sees one fixed last commit between two asks.
    /// </summary>
    public bool RefreshCommitsOnRequest { get; init; }

    public ITelemetryStore OpenTelemetryStore() =>
        Wait(ClickHouseTelemetryStore.OpenAsync(StoreOptions(), logger: null, CancellationToken.None));

    /// <summary>The span store's options: the defaults, and on a shared database what this process's role needs.</summary>
    private ClickHouseStoreOptions StoreOptions()
    {
        var options = new ClickHouseStoreOptions { Connection = Connection, SharedWriters = SharedDatabase };
        // A derive round is one refresh's commits: kept within what its caches hold (the search index's 20,000 records).
        return RefreshCommitsOnRequest
            ? options with { RefreshInterval = Timeout.InfiniteTimeSpan, RefreshStepRecords = DeriveRoundRecords }
            : options;
    }

    public IAlertConfigurationStore OpenAlertConfigurationStore() =>
        Wait(ClickHouseAlertConfigurationStore.OpenAsync(Connection, CancellationToken.None));

    public IStitchStore OpenStitchStore() => Wait(ClickHouseStitchStore.OpenAsync(Connection, CancellationToken.None, SharedDatabase));

    public IAnalysisStore OpenAnalysisStore() => Wait(ClickHouseAnalysisStore.OpenAsync(Connection, CancellationToken.None, SharedDatabase));

    public ISearchIndexStore OpenSearchIndexStore() => Wait(ClickHouseSearchIndexStore.OpenAsync(Connection, CancellationToken.None, SharedDatabase));

    public IDerivationLease OpenDerivationLease(string holder, string role) =>
        Wait(ClickHouseDerivationLease.OpenAsync(Connection, holder, role, DerivationLeaseLength, StoreOptions().MaxClockSkew, CancellationToken.None));

    private static T Wait<T>(Task<T> opening) => opening.GetAwaiter().GetResult();
}
