using System.Collections;
using System.Diagnostics;
using System.Text;

namespace Threadline.Tracer.Aws;

/// <summary>
/// In-band context: adds a W3C <c>traceparent</c> String message attribute to SQS/SNS sends, only where it
/// cannot break the send (fewer than 10 attributes and the message stays within 256 KiB).
/// </summary>
internal static class TraceContextInjector
{
    public const string AttributeName = "traceparent";
    public const int MaxAttributes = 10;
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Returns how many messages received the attribute.</summary>
    public static int Inject(AwsOperation op, object? request, Activity activity)
    {
        if (request is null)
            return 0;
        var traceparent = $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-01";
        return (op.Service, op.Operation) switch
        {
            ("SQS", "SendMessage") => TryAdd(request, "MessageBody", traceparent) ? 1 : 0,
            ("SQS", "SendMessageBatch") => Members.Items(request, "Entries").Count(e => TryAdd(e, "MessageBody", traceparent)),
            ("SNS", "Publish") => TryAdd(request, "Message", traceparent) ? 1 : 0,
            ("SNS", "PublishBatch") => Members.Items(request, "PublishBatchRequestEntries").Count(e => TryAdd(e, "Message", traceparent)),
            _ => 0,
        };
    }

    private static bool TryAdd(object message, string bodyProperty, string traceparent)
    {
        var attributes = Members.Get(message, "MessageAttributes") as IDictionary;
        if (attributes is { } existing && (existing.Count >= MaxAttributes || existing.Contains(AttributeName)))
            return false;
        var size = Size(Members.Str(message, bodyProperty)) + (attributes is null ? 0 : AttributesSize(attributes))
            + Size(AttributeName) + Size("String") + Size(traceparent);
        if (size > MaxMessageBytes)
            return false;
        var dictionaryType = attributes?.GetType() ?? Members.PropertyType(message, "MessageAttributes");
        var valueType = dictionaryType?.GetGenericArguments() is { Length: 2 } args ? args[1] : null;
        if (dictionaryType is null || valueType is null || dictionaryType.IsAbstract || dictionaryType.IsInterface
            || Activator.CreateInstance(valueType) is not { } value)
            return false;
        if (attributes is null)
        {
            if (Activator.CreateInstance(dictionaryType) is not IDictionary created || !Members.Set(message, "MessageAttributes", created))
                return false;
            attributes = created;
        }
        Members.Set(value, "DataType", "String");
        Members.Set(value, "StringValue", traceparent);
        attributes[AttributeName] = value;
        return true;
    }

    private static int AttributesSize(IDictionary attributes)
    {
        var total = 0;
        foreach (DictionaryEntry entry in attributes)
        {
            total += Size(entry.Key as string) + Size(Members.Str(entry.Value, "DataType")) + Size(Members.Str(entry.Value, "StringValue"));
            if (Members.Get(entry.Value, "BinaryValue") is MemoryStream binary)
                total += (int)binary.Length;
        }
        return total;
    }

    private static int Size(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
}
