using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Functions;

/// <summary>How a function was invoked: synchronously (RequestResponse) or queued (Event).</summary>
public enum InvocationType
{
    RequestResponse,
    Event,
}

/// <summary>A function error as Lambda reports it (X-Amz-Function-Error: Unhandled).</summary>
public sealed record FunctionError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    public JsonObject ToJson() => new()
    {
        ["errorType"] = ErrorType,
        ["errorMessage"] = ErrorMessage,
        ["stackTrace"] = new JsonArray([.. StackTrace.Select(l => (JsonNode?)JsonValue.Create(l))]),
    };
}

/// <summary>One completed invocation attempt of a hosted function.</summary>
public sealed record InvocationRecord(
    string RequestId,
    string FunctionName,
    string Version,
    InvocationType Type,
    bool ColdStart,
    int Attempt,
    JsonNode? Event,
    JsonNode? Response,
    FunctionError? Error,
    DateTimeOffset Start,
    TimeSpan Duration)
{
    public bool Failed => Error is not null;
}
