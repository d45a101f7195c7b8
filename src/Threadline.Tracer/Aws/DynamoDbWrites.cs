using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Aws;

/// <summary>
/// The items a DynamoDB write names, in request order, read from the JSON wire request (DynamoDB JSON 1.0):
/// PutItem <c>Item</c>, UpdateItem/DeleteItem <c>Key</c>, every BatchWriteItem and TransactWriteItems entry.
/// </summary>
internal static class DynamoDbWrites
{
    public static List<(string Table, string Pairs)> Extract(string operation, ReadOnlyMemory<byte> wireJson)
    {
        var writes = new List<(string, string)>();
        if (wireJson.IsEmpty)
            return writes;
        using var document = JsonDocument.Parse(wireJson);
        var root = document.RootElement;
        switch (operation)
        {
            case "PutItem":
                Add(writes, root.Str("TableName"), root.Prop("Item"));
                break;
            case "UpdateItem" or "DeleteItem":
                Add(writes, root.Str("TableName"), root.Prop("Key"));
                break;
            case "BatchWriteItem" when root.Prop("RequestItems") is { ValueKind: JsonValueKind.Object } tables:
                foreach (var table in tables.EnumerateObject())
                {
                    foreach (var entry in table.Value.EnumerateArray())
                        Add(writes, table.Name, entry.Path("PutRequest", "Item") ?? entry.Path("DeleteRequest", "Key"));
                }
                break;
            case "TransactWriteItems":
                foreach (var item in root.Array("TransactItems"))
                {
                    if (item.Prop("Put") is { } put)
                        Add(writes, put.Str("TableName"), put.Prop("Item"));
                    else if ((item.Prop("Update") ?? item.Prop("Delete")) is { } change)
                        Add(writes, change.Str("TableName"), change.Prop("Key"));
                }
                break;
        }
        return writes;
    }

    private static void Add(List<(string, string)> writes, string? table, JsonElement? item)
    {
        if (table is not null && item is { } element && DynamoDbItemHash.Pairs(element) is { } pairs)
            writes.Add((table, pairs));
    }
}
