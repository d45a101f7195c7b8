using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Protocol;

/// <summary>What a service operation may need of its HTTP request besides the operation's input.</summary>
internal sealed record AwsCall(string RequestId, string? TraceHeader);

/// <summary>A service on the AWS JSON 1.0 / 1.1 protocol, reached through its <c>X-Amz-Target</c> prefix.</summary>
internal interface IJsonService
{
    /// <summary>The <c>X-Amz-Target</c> prefix before the dot, such as <c>AmazonSQS</c>.</summary>
    string TargetPrefix { get; }

    /// <summary>Prepended to error codes in <c>__type</c>, such as <c>com.amazonaws.sqs#</c>.</summary>
    string ErrorTypePrefix { get; }

    /// <summary><c>application/x-amz-json-1.0</c> or <c>application/x-amz-json-1.1</c>.</summary>
    string ContentType { get; }

    Task<JsonNode> HandleAsync(string operation, JsonObject input, AwsCall call, CancellationToken cancellationToken);
}

/// <summary>Reading operation inputs with AWS's error for a missing or malformed member.</summary>
internal static class JsonInput
{
    public static string RequiredString(this JsonObject input, string name) =>
        input[name]?.GetValue<string>() is { Length: > 0 } value
            ? value
            : throw new AwsException("ValidationException", $"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    public static string? OptionalString(this JsonObject input, string name) => input[name]?.GetValue<string>();

    public static int? OptionalInt(this JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, out var i) => i,
        _ => throw new AwsException("ValidationException", $"Invalid value for '{name}'"),
    };

    public static JsonObject? OptionalObject(this JsonObject input, string name) => input[name] as JsonObject;

    public static JsonArray Array(this JsonObject input, string name) => input[name] as JsonArray ?? [];

    public static IEnumerable<JsonObject> Objects(this JsonObject input, string name) => input.Array(name).OfType<JsonObject>();
}
