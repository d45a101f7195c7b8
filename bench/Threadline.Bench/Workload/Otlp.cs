using Google.Protobuf;
using Threadline.Ingest.Protocol.Common;

namespace Threadline.Bench.Workload;

/// <summary>Small builders for OTLP attribute values.</summary>
internal static class Otlp
{
    public static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static KeyValue Bool(string key, bool value) => new() { Key = key, Value = new AnyValue { BoolValue = value } };

    public static KeyValue Strs(string key, params string[] values)
    {
        var array = new ArrayValue();
        foreach (var value in values)
            array.Values.Add(new AnyValue { StringValue = value });
        return new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } };
    }

    public static KeyValue Ints(string key, params long[] values)
    {
        var array = new ArrayValue();
        foreach (var value in values)
            array.Values.Add(new AnyValue { IntValue = value });
        return new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } };
    }

    public static ByteString TraceId(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return ByteString.CopyFrom(bytes);
    }

    public static ByteString SpanId(ulong id)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return ByteString.CopyFrom(bytes);
    }
}
