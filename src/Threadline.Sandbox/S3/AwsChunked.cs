using System.Globalization;
using System.Text;

namespace Threadline.Sandbox.S3;

/// <summary>
/// Decodes the <c>aws-chunked</c> content encoding that the SDKs use for streaming uploads:
/// <c>hex-size[;chunk-signature=...]\r\n data \r\n</c> repeated, a zero-size chunk, then optional trailers.
/// </summary>
internal static class AwsChunked
{
    public static bool IsChunked(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase)
        || request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal);

    public static byte[] Decode(ReadOnlySpan<byte> body)
    {
        using var data = new MemoryStream();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body[at..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw new FormatException("aws-chunked: missing chunk header");
            }

            var header = Encoding.ASCII.GetString(body.Slice(at, lineEnd));
            var size = int.Parse(header.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            at += lineEnd + 2;
            if (size == 0)
            {
                break; // trailers (checksums) follow; the emulator does not verify them
            }

            data.Write(body.Slice(at, size));
            at += size + 2;
        }

        return data.ToArray();
    }
}
