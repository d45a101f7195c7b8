using Threadline.Storage.ClickHouse;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// A shared-writer store as the conformance suite expects one writer to behave. Shared writers do not read their own
/// writes (a write becomes visible once the settled frontier passes it, up to the begin bound later) and number
/// writes by clock and slot rather than 1, 2, 3; the suite reads right after writing and after reopening, so this
/// waits (refreshing, with a deadline) until the frontier covers this store's latest write, and after opening until
/// it covers every write begun before. Nothing else is changed: every assertion of the suite holds as written.
/// </summary>
internal sealed class SettledStore : DelegatingStore
{
    private SettledStore(ClickHouseTelemetryStore inner) : base(inner) => Inner = inner;

    public ClickHouseTelemetryStore Inner { get; }

    public static async Task<SettledStore> OpenAsync(ClickHouseServerFixture fixture, string database)
    {
        var store = await SharedWriterOptions.OpenAsync(fixture, database);
        await SharedWriterOptions.WaitForFrontierAsync(store, store.OpenedAtSequence);
        return new SettledStore(store);
    }

    public override async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        await Inner.WriteAsync(batches, cancellationToken);
        await SharedWriterOptions.WaitForFrontierAsync(Inner, Inner.LastWrittenSequence);
    }
}
