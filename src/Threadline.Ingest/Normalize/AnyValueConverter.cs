using Google.Protobuf.Collections;
using Threadline.Ingest.Protocol.Common;
using Threadline.Telemetry;
using static Threadline.Ingest.Normalize.NormalizationLimits;

namespace Threadline.Ingest.Normalize;

/// <summary>Turns OTLP AnyValue trees into the plain values of <see cref="KeyValue"/>, within <see cref="NormalizationLimits"/>.</summary>
internal static class AnyValueConverter
{
    /// <summary>At most <see cref="MaxAttributes"/> attributes; add <see cref="Excess"/> to the record's dropped count.</summary>
    public static IReadOnlyList<Telemetry.KeyValue> ToAttributes(RepeatedField<Protocol.Common.KeyValue> attributes) =>
        ToKeyValues(attributes, 0, nested: false);

    /// <summary>How many attributes <see cref="ToAttributes"/> dropped from the list.</summary>
    public static uint Excess(RepeatedField<Protocol.Common.KeyValue> attributes) => (uint)Math.Max(0, attributes.Count - MaxAttributes);

    public static object? ToValue(AnyValue? value) => ToValue(value, 0);

    private static object? ToValue(AnyValue? value, int depth)
    {
        if (value is null)
            return null;
        if (depth >= MaxDepth && value.ValueCase is AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue)
            return TooDeepMarker;

        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => Text(value.StringValue),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.Length <= MaxValueLength
                ? value.BytesValue.ToByteArray()
                : value.BytesValue.Span[..MaxValueLength].ToArray(),
            AnyValue.ValueOneofCase.ArrayValue => ToArray(value.ArrayValue.Values, depth + 1),
            AnyValue.ValueOneofCase.KvlistValue => ToKeyValues(value.KvlistValue.Values, depth + 1, nested: true),
            _ => null,
        };
    }

    private static IReadOnlyList<Telemetry.KeyValue> ToKeyValues(RepeatedField<Protocol.Common.KeyValue> attributes, int depth, bool nested)
    {
        if (attributes.Count == 0)
            return [];
        var kept = Math.Min(attributes.Count, MaxAttributes);
        var dropped = attributes.Count - kept;
        // A nested list has no dropped count of its own, so it says what it lost in a marker entry.
        var result = new Telemetry.KeyValue[kept + (nested && dropped > 0 ? 1 : 0)];
        for (var i = 0; i < kept; i++)
            result[i] = new Telemetry.KeyValue(Text(attributes[i].Key), ToValue(attributes[i].Value, depth));
        if (kept < result.Length)
            result[^1] = new Telemetry.KeyValue(DroppedEntriesKey, DroppedEntriesMarker(dropped));
        return result;
    }

    private static IReadOnlyList<object?> ToArray(RepeatedField<AnyValue> values, int depth)
    {
        var kept = Math.Min(values.Count, MaxArrayItems);
        var result = new object?[kept + (kept < values.Count ? 1 : 0)];
        for (var i = 0; i < kept; i++)
            result[i] = ToValue(values[i], depth);
        if (kept < values.Count)
            result[^1] = DroppedItemsMarker(values.Count - kept);
        return result;
    }
}
