using Google.Protobuf.Collections;
using Threadline.Ingest.Protocol.Common;
using Threadline.Telemetry;

namespace Threadline.Ingest.Normalize;

/// <summary>Turns OTLP AnyValue trees into the plain values of <see cref="KeyValue"/>.</summary>
internal static class AnyValueConverter
{
    /// <summary>Nesting deeper than this is replaced by a marker string, so that no stage recurses without bound.</summary>
    public const int MaxDepth = 16;

    public const string TooDeepMarker = "[threadline: nested deeper than 16 levels, dropped]";

    public static IReadOnlyList<Telemetry.KeyValue> ToAttributes(RepeatedField<Protocol.Common.KeyValue> attributes, int depth = 0)
    {
        if (attributes.Count == 0)
            return [];
        var result = new Telemetry.KeyValue[attributes.Count];
        for (var i = 0; i < attributes.Count; i++)
            result[i] = new Telemetry.KeyValue(attributes[i].Key, ToValue(attributes[i].Value, depth));
        return result;
    }

    public static object? ToValue(AnyValue? value, int depth = 0)
    {
        if (value is null)
            return null;
        if (depth >= MaxDepth && value.ValueCase is AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue)
            return TooDeepMarker;

        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
            AnyValue.ValueOneofCase.ArrayValue => ToArray(value.ArrayValue.Values, depth + 1),
            AnyValue.ValueOneofCase.KvlistValue => ToAttributes(value.KvlistValue.Values, depth + 1),
            _ => null,
        };
    }

    private static IReadOnlyList<object?> ToArray(RepeatedField<AnyValue> values, int depth)
    {
        var result = new object?[values.Count];
        for (var i = 0; i < values.Count; i++)
            result[i] = ToValue(values[i], depth);
        return result;
    }
}
