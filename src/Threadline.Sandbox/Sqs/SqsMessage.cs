using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Sqs;

/// <summary>A message attribute: <c>DataType</c> plus a string or a binary value.</summary>
public sealed record MessageAttribute(string DataType, string? StringValue, byte[]? BinaryValue = null)
{
    public static MessageAttribute String(string value) => new("String", value);

    /// <summary>The JSON shape of SendMessage input and ReceiveMessage output.</summary>
    public JsonObject ToApiJson()
    {
        var json = new JsonObject { ["DataType"] = DataType };
        if (StringValue is not null)
        {
            json["StringValue"] = StringValue;
        }

        if (BinaryValue is not null)
        {
            json["BinaryValue"] = Convert.ToBase64String(BinaryValue);
        }

        return json;
    }

    /// <summary>The camelCase shape of a Lambda SQS event record.</summary>
    public JsonObject ToEventJson() => new()
    {
        ["stringValue"] = StringValue,
        ["binaryValue"] = BinaryValue is null ? null : Convert.ToBase64String(BinaryValue),
        ["stringListValues"] = new JsonArray(),
        ["binaryListValues"] = new JsonArray(),
        ["dataType"] = DataType,
    };

    public static MessageAttribute FromApiJson(JsonObject json) => new(
        json["DataType"]?.GetValue<string>() ?? throw new AwsException("InvalidParameterValue", "The message attribute must have a DataType."),
        json["StringValue"]?.GetValue<string>(),
        json["BinaryValue"]?.GetValue<string>() is { } b ? Convert.FromBase64String(b) : null);
}

/// <summary>A message in a queue with its delivery state.</summary>
internal sealed class SqsMessage(string id, string body, IReadOnlyDictionary<string, MessageAttribute> attributes, string? traceHeader, DateTimeOffset sent)
{
    public string Id { get; } = id;

    public string Body { get; } = body;

    public IReadOnlyDictionary<string, MessageAttribute> Attributes { get; } = attributes;

    public string? TraceHeader { get; } = traceHeader;

    public DateTimeOffset Sent { get; } = sent;

    public DateTimeOffset VisibleAt { get; set; } = sent;

    public int ReceiveCount { get; set; }

    public DateTimeOffset? FirstReceived { get; set; }

    public string? ReceiptHandle { get; set; }

    public string Md5OfBody { get; } = Md5Hex(Encoding.UTF8.GetBytes(body));

    public string? Md5OfAttributes { get; } = attributes.Count == 0 ? null : AttributesMd5(attributes);

    public static string Md5Hex(byte[] data) =>
#pragma warning disable CA5351 // MD5 is what SQS defines for its message digests, not a security measure
        Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351

    /// <summary>SQS's digest of message attributes: by name, each of name, type, transport byte and value length-prefixed.</summary>
    public static string AttributesMd5(IReadOnlyDictionary<string, MessageAttribute> attributes)
    {
        using var buffer = new MemoryStream();
        foreach (var (name, attribute) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            WritePrefixed(buffer, Encoding.UTF8.GetBytes(name));
            WritePrefixed(buffer, Encoding.UTF8.GetBytes(attribute.DataType));
            if (attribute.BinaryValue is { } binary)
            {
                buffer.WriteByte(2);
                WritePrefixed(buffer, binary);
            }
            else
            {
                buffer.WriteByte(1);
                WritePrefixed(buffer, Encoding.UTF8.GetBytes(attribute.StringValue ?? ""));
            }
        }

        return Md5Hex(buffer.ToArray());
    }

    private static void WritePrefixed(MemoryStream buffer, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        buffer.Write(length);
        buffer.Write(value);
    }
}
