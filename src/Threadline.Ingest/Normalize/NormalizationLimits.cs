namespace Threadline.Ingest.Normalize;

/// <summary>
/// The caps normalization puts on what a sender controls, so that no later stage (the JSON codec, the store, the
/// stitcher, the UI) meets unbounded nesting or giant values. A value over a cap is truncated with a marker, never
/// rejected: the rest of the record is worth keeping.
/// </summary>
public static class NormalizationLimits
{
    /// <summary>Arrays and key/value lists nested deeper than this are replaced by <see cref="TooDeepMarker"/>.</summary>
    public const int MaxDepth = 16;

    /// <summary>Characters of a string (attribute value or key, log body, span, event and status text) or bytes of a bytes value.</summary>
    public const int MaxValueLength = 64 * 1024;

    /// <summary>
    /// Attributes per list (a span's, an event's, a link's, a resource's, a scope's, a log record's, and each nested
    /// key/value list); the ones beyond are dropped and counted in the record's dropped-attributes count.
    /// </summary>
    public const int MaxAttributes = 256;

    /// <summary>Items per array value; the ones beyond are replaced by one marker item.</summary>
    public const int MaxArrayItems = 10_000;

    public const string TooDeepMarker = "[threadline: nested deeper than 16 levels, dropped]";

    /// <summary>Ends a truncated string (after <see cref="MaxValueLength"/> characters).</summary>
    public static string TruncatedMarker(long dropped) => $"…[threadline: truncated, {dropped} more characters]";

    public static string DroppedItemsMarker(int dropped) => $"[threadline: {dropped} more items dropped]";

    public static string DroppedEntriesMarker(int dropped) => $"[threadline: {dropped} more entries dropped]";

    /// <summary>The key of the marker entry that ends a nested key/value list cut at <see cref="MaxAttributes"/>.</summary>
    public const string DroppedEntriesKey = "threadline.dropped";

    public static string Text(string text) =>
        text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength), TruncatedMarker(text.Length - MaxValueLength));

    public static string? OptionalText(string text) => text.Length == 0 ? null : Text(text);
}
