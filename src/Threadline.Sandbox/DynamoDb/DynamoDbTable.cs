using System.Text.Json.Nodes;
using Threadline.Sandbox.Mappings;

namespace Threadline.Sandbox.DynamoDb;

/// <summary>A table: key schema, stream settings and items. Guarded by the owning service's lock.</summary>
internal sealed class DynamoDbTable(string name, string arn, JsonArray keySchema, JsonArray attributeDefinitions, DateTimeOffset created)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public JsonArray KeySchema { get; } = keySchema;

    public JsonArray AttributeDefinitions { get; } = attributeDefinitions;

    public DateTimeOffset Created { get; } = created;

    public IReadOnlyList<string> KeyNames { get; } =
        [.. keySchema.OrderBy(k => k?["KeyType"]?.GetValue<string>() == "HASH" ? 0 : 1).Select(k => k!["AttributeName"]!.GetValue<string>())];

    /// <summary><c>NEW_IMAGE</c>, <c>OLD_IMAGE</c>, <c>NEW_AND_OLD_IMAGES</c>, <c>KEYS_ONLY</c>, or null without a stream.</summary>
    public string? StreamViewType { get; set; }

    public string? StreamLabel { get; set; }

    public string? StreamArn => StreamLabel is null ? null : $"{Arn}/stream/{StreamLabel}";

    public ShardLog Stream { get; } = new("shardId-00000001000000000000-00000000");

    public Dictionary<string, JsonObject> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>The key attributes of an item or key, validated against the schema.</summary>
    public JsonObject KeyOf(JsonObject itemOrKey)
    {
        var key = new JsonObject();
        foreach (var name in KeyNames)
        {
            var value = itemOrKey[name] ?? throw new AwsException("ValidationException", "The provided key element does not match the schema");
            key[name] = value.DeepClone();
        }

        return key;
    }

    /// <summary>A string identifying the item with this key (numbers canonicalised).</summary>
    public string KeyString(JsonObject key) => string.Join('\u001f', KeyNames.Select(n =>
    {
        var value = key[n]!;
        var type = AttributeValues.TypeOf(value);
        return type == "N" ? "N:" + AttributeValues.CanonicalNumber(value["N"]!.GetValue<string>()) : type + ":" + value[type]!.ToJsonString();
    }));
}
