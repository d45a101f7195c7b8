namespace Threadline.Storage;

/// <summary>
/// The writer's turn: a group commit together with its committed-batch observers, or a retention delete together with
/// its deletion observers, one at a time. Without it a retention pass could delete a group's spans after their commit
/// and before the stitcher and the analysis derived them, which would then derive them after being told to forget them.
/// </summary>
public sealed class WriterTurn : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Release(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                turn.Release();
        }
    }
}
