using System.Net;

namespace Threadline.Tracer.Http;

/// <summary>
/// Stands in for a response's content: the caller reads it exactly as before, and the first bytes (up to a
/// limit) are handed to <c>onDone</c> when the body has been read to its end or disposed.
/// </summary>
internal sealed class CapturingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly int _limit;
    private readonly Action<byte[], bool> _onDone;

    public CapturingContent(HttpContent inner, int limit, Action<byte[], bool> onDone)
    {
        _inner = inner;
        _limit = limit;
        _onDone = onDone;
        foreach (var (name, values) in inner.Headers.NonValidated)
            Headers.TryAddWithoutValidation(name, values);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = CreateContentReadStream(cancellationToken);
        source.CopyTo(stream);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new TeeReadStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _limit, _onDone);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new TeeReadStream(_inner.ReadAsStream(cancellationToken), _limit, _onDone);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength.HasValue;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
