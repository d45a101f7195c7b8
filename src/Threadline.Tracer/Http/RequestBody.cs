using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Http;

/// <summary>Reads a request body only when that cannot consume it: buffered content types are re-readable.</summary>
internal static class RequestBody
{
    public static string? Read(HttpContent? content)
    {
        if (content is null)
            return null;
        if (content is not (ByteArrayContent or ReadOnlyMemoryContent) && content.GetType().Name != "JsonContent")
            return "[stream]";
        if (!IsText(content.Headers.ContentType?.MediaType))
            return $"[{content.Headers.ContentType?.MediaType ?? "binary"}]";
        using var stream = content.ReadAsStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Scrubber.AsText(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static bool IsText(string? mediaType) => mediaType is not null && (
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase));
}
