using Threadline.Storage.ClickHouse;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>Shared-writer stores with bounds small enough for tests (one machine: no clock skew).</summary>
internal static class SharedWriterOptions
{
    public static async Task<ClickHouseTelemetryStore> OpenAsync(ClickHouseServerFixture fixture, string database,
        TimeSpan? completeBound = null, TimeSpan? refreshInterval = null, TimeSpan? lease = null)
    {
        var options = new ClickHouseStoreOptions
        {
            Connection = await fixture.OptionsAsync(database),
            SharedWriters = true,
            BeginBound = TimeSpan.FromMilliseconds(500),
            CompleteBound = completeBound ?? TimeSpan.FromSeconds(10),
            MaxClockSkew = TimeSpan.Zero,
            RefreshInterval = refreshInterval ?? TimeSpan.FromMilliseconds(50),
            WriterLease = lease ?? TimeSpan.FromSeconds(10),
        };
        return await ClickHouseTelemetryStore.OpenAsync(options, null, TestContext.Current.CancellationToken);
    }

    /// <summary>Refreshes until the store's settled frontier reaches <paramref name="sequence"/>; fails after the deadline.</summary>
    public static async Task WaitForFrontierAsync(ClickHouseTelemetryStore store, long sequence, TimeSpan? deadline = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            await store.RefreshAsync(timeout.Token);
            if (store.SettledFrontier >= sequence)
                return;
            await Task.Delay(20, timeout.Token);
        }
    }
}
