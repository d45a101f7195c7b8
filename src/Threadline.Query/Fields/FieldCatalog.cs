using System.Collections.Immutable;
using Threadline.Query.Syntax;

namespace Threadline.Query.Fields;

/// <summary>The fields a query can name (issue 16), plus <c>attr.&lt;key&gt;</c> and <c>resource.&lt;key&gt;</c>.</summary>
public static class FieldCatalog
{
    public static readonly FieldDefinition Function = new("function", FieldType.Keyword, "Function name", "function:send-email");
    public static readonly FieldDefinition Entry = new("entry", FieldType.Keyword, "Entry point of the invocation (route, queue, bucket, schedule)", "entry:\"POST /orders\"");
    public static readonly FieldDefinition Trigger = new("trigger", FieldType.Keyword, "Trigger kind (http, sqs, sns, s3, eventbridge, dynamodb, …)", "trigger:sqs");
    public static readonly FieldDefinition Status = new("status", FieldType.Status, "Outcome of the invocation", "status:error");
    public static readonly FieldDefinition Error = new("error", FieldType.Keyword, "Error type", "error:TimeoutError");
    public static readonly FieldDefinition Message = new("message", FieldType.Keyword, "Error message", "message:*\"timed out\"*");
    public static readonly FieldDefinition Duration = new("duration", FieldType.Duration, "Invocation duration", "duration>500ms");
    public static readonly FieldDefinition Cold = new("cold", FieldType.Boolean, "Cold start", "cold:true");
    public static readonly FieldDefinition Version = new("version", FieldType.Keyword, "Function version", "version:2");
    public static readonly FieldDefinition User = new("user", FieldType.Keyword, "User the invocation served", "user:alice@example.com");
    public static readonly FieldDefinition Vip = new("vip", FieldType.Boolean, "The user is a VIP", "vip:true");
    public static readonly FieldDefinition Request = new("request", FieldType.Id, "Lambda request id", "request:3f2a9c1e*");
    public static readonly FieldDefinition MessageId = new("messageid", FieldType.Id, "Message id (SQS, SNS, EventBridge, …) the invocation sent or received", "messageid:0b4d*");
    public static readonly FieldDefinition Trace = new("trace", FieldType.TraceId, "Trace id", "trace:4bf92f3577b34da6a3ce929d0e0e4736");

    public static readonly ImmutableArray<FieldDefinition> All =
        [Function, Entry, Trigger, Status, Error, Message, Duration, Cold, Version, User, Vip, Request, MessageId, Trace];

    private static readonly Dictionary<string, FieldDefinition> ByName =
        All.ToDictionary(field => field.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue field of that name (any case), or null.</summary>
    public static FieldDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Resolves a field as written in a query: a catalogue name, <c>attr.key</c> or <c>resource.key</c>
    /// (prefixes in any case, the key as written). Null when it is none of them or the key is empty.</summary>
    public static QueryField? Resolve(string name)
    {
        if (Find(name) is { } definition)
            return new CatalogField(definition);
        foreach (var scope in Enum.GetValues<AttributeScope>())
        {
            var prefix = scope.Prefix();
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return new AttributeField(scope, name[prefix.Length..]);
        }
        return null;
    }

    public static FieldType TypeOf(QueryField field) => field switch
    {
        CatalogField catalog => catalog.Definition.Type,
        AttributeField => FieldType.Attribute,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>"function, entry, …, trace, attr.&lt;key&gt; or resource.&lt;key&gt;", for error messages.</summary>
    public static string Names() => string.Join(", ", All.Select(field => field.Name)) + ", attr.<key> or resource.<key>";
}
