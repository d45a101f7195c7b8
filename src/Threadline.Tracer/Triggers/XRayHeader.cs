using System.Diagnostics;

namespace Threadline.Tracer.Triggers;

/// <summary>Reads <c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1</c>.</summary>
internal static class XRayHeader
{
    public static bool TryParse(string? header, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrEmpty(header))
            return false;
        string? root = null, parent = null;
        var sampled = false;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Root=", StringComparison.Ordinal))
                root = part[5..];
            else if (part.StartsWith("Parent=", StringComparison.Ordinal))
                parent = part[7..];
            else if (part == "Sampled=1")
                sampled = true;
        }
        var pieces = root?.Split('-');
        if (pieces is not { Length: 3 } || pieces[1].Length != 8 || pieces[2].Length != 24 || parent is not { Length: 16 })
            return false;
        var traceId = pieces[1] + pieces[2];
        if (!IsHex(traceId) || !IsHex(parent))
            return false;
        context = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId),
            ActivitySpanId.CreateFromString(parent),
            sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            isRemote: true);
        return true;
    }

    private static bool IsHex(string s) => s.All(Uri.IsHexDigit);
}
