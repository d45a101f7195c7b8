using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Stitching;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the stitch store conformance suite on a real database file.</summary>
public sealed class DuckDbStitchStoreTests : StitchStoreConformanceTests
{
    protected override IStitchStore OpenStore(string dataDirectory) => DuckDbStitchStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory });
}

/// <summary>The DuckDB stitch store after an unclean stop: its indexes are rebuilt at open and answer as before.</summary>
public sealed class DuckDbStitchStoreRecoveryTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task A_store_opened_with_its_indexes_rebuilt_finds_every_row_by_each_index()
    {
        var options = new DuckDbStoreOptions { DataDirectory = _data };
        var trace = new UInt128(0xfc2f6992a494dc10, 0x9c2f6992a494dc11);
        var entry = new StitchId(trace, 0xa590059bbe6fe88c);
        var consumer = new StitchId(trace, 7);
        await using (var store = DuckDbStitchStore.Open(options))
        {
            store.Commit(new StitchDelta
            {
                SpansAdded = [new StitchSpanRow(trace, entry.SpanId, 10, "{}")],
                InvocationsPut = [new StitchInvocationPut(new StitchInvocationRow(entry, 10, "e"), [new StitchKeyRef(StitchKeyKind.Outbound, "sqs:1")])],
                HopsPut = [new StitchHopRow(entry, consumer, 1, "sqs", "q", "message", 10, 11)],
                TransactionsPut = [new StitchTransactionPut(new StitchTransactionRow(entry, 10, 1.5, 0, 2, 0, "http", "api", null), [entry, consumer])],
            });
        }

        await using var reopened = DuckDbStitchStore.Open(options, rebuildIndexes: true);

        Assert.Single(reopened.LoadSpans([trace]));
        Assert.Equal("e", Assert.Single(reopened.LoadInvocations([entry])).Body);
        Assert.Single(reopened.LoadInvocationsOfTraces([trace]));
        Assert.Equal(entry, Assert.Single(reopened.FindKeys([new StitchKeyRef(StitchKeyKind.Outbound, "sqs:1")])).Invocation);
        Assert.Single(reopened.LoadHopsInto([consumer]));
        Assert.Single(reopened.LoadHopsOutOf([entry]));
        Assert.Equal(2, reopened.LoadMembers([entry]).Count);
        Assert.Single(reopened.LoadTransactionsOf([consumer]));
        Assert.Single(reopened.LoadTransactions([entry]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
