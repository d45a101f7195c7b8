using System.Text;

namespace Threadline.Tracer.Scrubbing;

/// <summary>Size limits of recorded payloads: per field and per invocation (both larger on error). Thread-safe.</summary>
internal sealed class PayloadBudget(int maxFieldBytes, int maxInvocationBytes, int errorFactor)
{
    public const string Marker = "…[truncated]";
    private long _used;

    /// <summary>Returns the value cut to what is left of the budget; <paramref name="truncated"/> tells if it was cut.</summary>
    public string Fit(string value, bool error, out bool truncated)
    {
        var factor = error ? Math.Max(1, errorFactor) : 1;
        var total = (long)maxInvocationBytes * factor;
        var fieldLimit = (long)maxFieldBytes * factor;
        var size = Encoding.UTF8.GetByteCount(value);
        var left = Math.Max(0, total - Interlocked.Read(ref _used));
        var limit = (int)Math.Min(fieldLimit, left);
        if (size <= limit)
        {
            Interlocked.Add(ref _used, size);
            truncated = false;
            return value;
        }
        truncated = true;
        var cut = Cut(value, limit);
        Interlocked.Add(ref _used, Encoding.UTF8.GetByteCount(cut));
        return cut + Marker;
    }

    private static string Cut(string value, int maxBytes)
    {
        if (maxBytes <= 0)
            return "";
        var encoder = Encoding.UTF8.GetEncoder();
        var buffer = new byte[maxBytes];
        encoder.Convert(value.AsSpan(), buffer, flush: true, out var charsUsed, out _, out _);
        if (charsUsed > 0 && char.IsHighSurrogate(value[charsUsed - 1]))
            charsUsed--;
        return value[..charsUsed];
    }
}
