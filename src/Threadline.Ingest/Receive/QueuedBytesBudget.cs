using Microsoft.Extensions.Options;

namespace Threadline.Ingest.Receive;

/// <summary>
/// Bounds the memory held by OTLP requests between arriving and being answered (decoding, normalizing, waiting for
/// the store's writer): every request reserves its body's bytes (decompressed) here first, and releases them when it
/// is answered. When the store falls behind, requests wait for it, the reservations pile up, and a request that does
/// not fit is refused at once with a retry delay (503 + Retry-After, gRPC UNAVAILABLE) instead of being queued.
/// </summary>
public sealed class QueuedBytesBudget(IOptions<OtlpReceiverOptions> options)
{
    private long _usedBytes;
    private long _rejectedRequests;

    public long MaxBytes { get; } = options.Value.MaxQueuedBytes;

    /// <summary>The delay suggested to a refused sender.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);

    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>Requests refused since start because the budget was spent.</summary>
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    /// <summary>
    /// Takes <paramref name="bytes"/> from the budget, or returns false (and counts a refusal) when they do not fit.
    /// A request larger than the whole budget is let through when nothing else is held, so that it is never refused
    /// for ever; the request size limit bounds it.
    /// </summary>
    public bool TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        while (true)
        {
            var used = Interlocked.Read(ref _usedBytes);
            if (used > 0 && used + bytes > MaxBytes)
            {
                Interlocked.Increment(ref _rejectedRequests);
                return false;
            }
            if (Interlocked.CompareExchange(ref _usedBytes, used + bytes, used) == used)
                return true;
        }
    }

    public void Release(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Interlocked.Add(ref _usedBytes, -bytes);
    }

    /// <summary>An empty reservation that a request grows as its body is read and gives back when it is answered.</summary>
    public Lease Open() => new(this);

    public string BusyMessage(long bytes) =>
        $"Threadline is busy: {UsedBytes} of {MaxBytes} bytes of requests are waiting to be stored, and this one needs {bytes}. Retry later.";

    /// <summary>The bytes one request holds; disposing gives them back.</summary>
    public sealed class Lease(QueuedBytesBudget budget) : IDisposable
    {
        public long Bytes { get; private set; }

        /// <summary>Holds <paramref name="total"/> bytes in all, or returns false (holding what it held) when they do not fit.</summary>
        public bool TryGrowTo(long total)
        {
            if (total <= Bytes)
                return true;
            if (!budget.TryReserve(total - Bytes))
                return false;
            Bytes = total;
            return true;
        }

        /// <summary>Gives back what is held beyond <paramref name="total"/> bytes.</summary>
        public void ShrinkTo(long total)
        {
            if (total >= Bytes)
                return;
            budget.Release(Bytes - total);
            Bytes = total;
        }

        public void Dispose()
        {
            budget.Release(Bytes);
            Bytes = 0;
        }
    }
}
