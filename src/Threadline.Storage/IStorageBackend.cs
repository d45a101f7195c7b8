using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage;

/// <summary>
/// One storage backend (selected by <c>--store</c>): it opens every store the server keeps, all on the same data,
/// so the server names no backend type. Each method opens a new store the caller owns and disposes. Open the
/// telemetry store first: it creates or upgrades the backend's schema.
/// </summary>
public interface IStorageBackend
{
    /// <summary>The name <c>--store</c> selects this backend by, e.g. <c>duckdb</c>.</summary>
    string Name { get; }

    ITelemetryStore OpenTelemetryStore();

    IAlertConfigurationStore OpenAlertConfigurationStore();

    /// <summary>The stitcher's state (transactions, hops, the stitch watermark) on the same data.</summary>
    IStitchStore OpenStitchStore();

    /// <summary>The analysis' derived state (analyzed invocations, function rollups, its watermark) on the same data.</summary>
    Derived.Analysis.IAnalysisStore OpenAnalysisStore();

    /// <summary>The search index (invocations with their attributes, message ids and free text, its watermark) on the same data.</summary>
    Derived.Search.ISearchIndexStore OpenSearchIndexStore();

    /// <summary>
    /// The lease that lets one process derive the store (<c>docs/clickhouse.md</c> "Scale-out"); <paramref name="holder"/>
    /// names this process and <paramref name="role"/> its <c>--role</c> for the others' messages.
    /// </summary>
    Sharing.IDerivationLease OpenDerivationLease(string holder, string role);
}
