using Threadline.Storage.ClickHouse;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// What the derive process does: take LastCommitSequence, scan the commits after its previous watermark, move the
/// watermark. Its store refreshes only when asked, so the scan's end is the sequence it took.
/// </summary>
internal sealed class CommitFollower(ClickHouseTelemetryStore store)
{
    public long Watermark { get; private set; }

    public List<string> Seen { get; } = [];

    public async Task<long> StepAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await store.RefreshAsync(ct);
        var last = store.LastCommitSequence;
        Assert.True(last >= Watermark, $"LastCommitSequence went back from {Watermark} to {last}");
        await foreach (var page in store.ScanSpansCommittedAfterAsync(Watermark, 7, ct))
            Seen.AddRange(page.Select(s => s.Name));
        Watermark = last;
        return last;
    }

    /// <summary>Steps until the watermark reaches <paramref name="sequence"/>; fails after the deadline.</summary>
    public async Task FollowToAsync(long sequence, TimeSpan? deadline = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline ?? TimeSpan.FromSeconds(30));
        while (await StepAsync() < sequence)
            await Task.Delay(20, timeout.Token);
    }
}
