using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Threadline.Ingest.Decode;
using Threadline.Telemetry;

namespace Threadline.Ingest.Receive.Http;

/// <summary>Reads an OTLP/HTTP request body: content type, content encoding and size checked before decoding.</summary>
internal static class OtlpHttpBody
{
    public static OtlpHttpError? TryGetEncoding(HttpRequest request, out OtlpEncoding encoding)
    {
        encoding = OtlpEncoding.Protobuf;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
            return OtlpHttpError.UnsupportedMediaType($"Missing or malformed Content-Type '{request.ContentType}'; send application/x-protobuf or application/json.");

        var type = mediaType.MediaType.Value;
        if (string.Equals(type, "application/x-protobuf", StringComparison.OrdinalIgnoreCase)
            || string.Equals(type, "application/protobuf", StringComparison.OrdinalIgnoreCase))
            return null;
        if (string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            encoding = OtlpEncoding.Json;
            return null;
        }
        return OtlpHttpError.UnsupportedMediaType($"Unsupported Content-Type '{type}'; send application/x-protobuf or application/json.");
    }

    /// <summary>
    /// What every HTTP receiver does with a body (OTLP, Zipkin, Lumigo): reads it within the request's
    /// <paramref name="lease"/> (the caller holds the lease until it has answered) and hands it to
    /// <paramref name="handle"/>. An unreadable body, a malformed one (<paramref name="isMalformed"/>: 400) and a store
    /// that cannot take it now (503 + Retry-After) come back as the error to answer with. The pooled buffer is returned
    /// before this completes.
    /// </summary>
    public static async Task<(T? Result, OtlpHttpError? Error)> ReceiveAsync<T>(HttpContext context, QueuedBytesBudget budget,
        QueuedBytesBudget.Lease lease, Func<ReadOnlyMemory<byte>, Task<T>> handle, Func<Exception, bool> isMalformed)
    {
        var maxBytes = context.RequestServices.GetRequiredService<IOptions<OtlpReceiverOptions>>().Value.MaxRequestBytes;
        var (buffer, length, readError) = await ReadAsync(context, maxBytes, lease, budget).ConfigureAwait(false);
        if (readError is not null)
            return (default, readError);
        try
        {
            return (await handle(buffer.AsMemory(0, length)).ConfigureAwait(false), null);
        }
        catch (Exception e) when (isMalformed(e))
        {
            return (default, OtlpHttpError.BadRequest(e.Message));
        }
        catch (TelemetryRejectedException e)
        {
            return (default, OtlpHttpError.Unavailable(e.Message, e.RetryAfter));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    /// <summary>
    /// Reads the whole body, decompressing gzip; the result is rented and must be returned to the pool. The buffer's
    /// bytes are held in <paramref name="lease"/> as it grows; when the budget has no room the read stops with a 503.
    /// </summary>
    public static async Task<(byte[]? Buffer, int Length, OtlpHttpError? Error)> ReadAsync(HttpContext context, int maxBytes, QueuedBytesBudget.Lease lease, QueuedBytesBudget budget)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
            return (null, 0, OtlpHttpError.TooLarge($"The body is {request.ContentLength} bytes; the limit is {maxBytes}."));

        // We enforce the limit ourselves so that the client gets an OTLP error body that says why.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = null;

        var contentEncoding = request.Headers.ContentEncoding.ToString();
        Stream body;
        string what;
        if (contentEncoding.Length == 0 || contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            body = request.Body;
            what = "The body";
        }
        else if (contentEncoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            what = "The decompressed body";
        }
        else
        {
            return (null, 0, OtlpHttpError.UnsupportedMediaType($"Unsupported Content-Encoding '{contentEncoding}'; send gzip or no encoding."));
        }

        await using (body.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? 64 * 1024));
            var length = 0;
            if (!lease.TryGrowTo(buffer.Length))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0, OtlpHttpError.Unavailable(budget.BusyMessage(buffer.Length), budget.RetryAfter));
            }
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxBytes)
                            break;
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                        if (!lease.TryGrowTo((long)buffer.Length + larger.Length))
                        {
                            ArrayPool<byte>.Shared.Return(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            return (null, 0, OtlpHttpError.Unavailable(budget.BusyMessage((long)buffer.Length + larger.Length), budget.RetryAfter));
                        }
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                        lease.ShrinkTo(buffer.Length);
                    }
                    var read = await body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), context.RequestAborted).ConfigureAwait(false);
                    if (read == 0)
                        break;
                    length += read;
                }
            }
            catch (InvalidDataException e)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0, OtlpHttpError.BadRequest($"The body is not valid gzip: {e.Message}"));
            }

            if (length > maxBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0, OtlpHttpError.TooLarge($"{what} is larger than the limit of {maxBytes} bytes."));
            }
            return (buffer, length, null);
        }
    }
}
