using Threadline.Tracer.Diagnostics;

namespace Threadline.Tracer.Http;

/// <summary>A read-only pass-through stream that keeps a copy of the first bytes read.</summary>
internal sealed class TeeReadStream(Stream inner, int limit, Action<byte[], bool> onDone) : Stream
{
    private readonly MemoryStream _copy = new();
    private bool _truncated;
    private int _done;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Seen(inner.Read(buffer, offset, count), buffer.AsSpan(offset));

    public override int Read(Span<byte> buffer) => Seen(inner.Read(buffer), buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Seen(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Span);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Done();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Seen(int read, ReadOnlySpan<byte> buffer)
    {
        if (read == 0)
        {
            Done();
            return 0;
        }
        var room = limit - (int)_copy.Length;
        if (room > 0)
            _copy.Write(buffer[..Math.Min(room, read)]);
        if (read > room)
            _truncated = true;
        return read;
    }

    private void Done()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
            Guard.Run("http.body", () => onDone(_copy.ToArray(), _truncated));
    }
}
