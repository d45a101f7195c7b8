using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Threadline.Tracer;

/// <summary>One record a batch consumer could not process, named as Lambda's partial batch response names it.</summary>
public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

/// <summary>
/// A partial batch response (<c>{"batchItemFailures": [{"itemIdentifier": "…"}]}</c>), the shape Lambda reads from SQS,
/// Kinesis and DynamoDB Streams consumers whose event source mapping has <c>ReportBatchItemFailures</c>. Return it
/// (or <see cref="ToJson"/>) from the handler.
/// </summary>
public sealed record BatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<BatchItemFailure> BatchItemFailures)
{
    public JsonObject ToJson() => new()
    {
        ["batchItemFailures"] = new JsonArray([.. BatchItemFailures.Select(f => (JsonNode)new JsonObject { ["itemIdentifier"] = f.ItemIdentifier })]),
    };
}
