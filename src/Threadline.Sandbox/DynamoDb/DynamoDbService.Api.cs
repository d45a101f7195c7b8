using System.Text.Json.Nodes;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.DynamoDb;

/// <summary>The DynamoDB operations on the wire.</summary>
public sealed partial class DynamoDbService
{
    Task<JsonNode> IJsonService.HandleAsync(string operation, JsonObject input, AwsCall call, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<JsonNode>(operation switch
            {
                "CreateTable" => new JsonObject { ["TableDescription"] = CreateTable(input) },
                "DescribeTable" => new JsonObject { ["Table"] = Describe(Table(input.RequiredString("TableName"))) },
                "ListTables" => new JsonObject { ["TableNames"] = new JsonArray([.. _tables.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode)n)]) },
                "DeleteTable" => DeleteTable(input.RequiredString("TableName")),
                "PutItem" => Single(Plan("Put", input), input),
                "UpdateItem" => Single(Plan("Update", input), input),
                "DeleteItem" => Single(Plan("Delete", input), input),
                "GetItem" => GetItem(input),
                "Scan" => Scan(input),
                "Query" => Query(input),
                "BatchWriteItem" => BatchWriteItem(input),
                "TransactWriteItems" => TransactWriteItems(input),
                _ => throw new AwsException("UnknownOperationException", $"Operation {operation} is not emulated"),
            });
        }
    }

    private JsonObject CreateTable(JsonObject input)
    {
        var name = input.RequiredString("TableName");
        if (_tables.ContainsKey(name))
        {
            throw new AwsException("ResourceInUseException", $"Table already exists: {name}");
        }

        var table = new DynamoDbTable(name, _arns.Table(name), (JsonArray)input.Array("KeySchema").DeepClone(), (JsonArray)input.Array("AttributeDefinitions").DeepClone(), _time.GetUtcNow());
        if (table.KeyNames.Count == 0)
        {
            throw new AwsException("ValidationException", "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
        }

        if (input.OptionalObject("StreamSpecification") is { } stream && stream["StreamEnabled"]?.GetValue<bool>() == true)
        {
            table.StreamViewType = stream["StreamViewType"]?.GetValue<string>() is ("NEW_IMAGE" or "OLD_IMAGE" or "NEW_AND_OLD_IMAGES" or "KEYS_ONLY") and var view
                ? view
                : throw new AwsException("ValidationException", "StreamViewType must be NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY");
            table.StreamLabel = table.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        }

        _tables[name] = table;
        return Describe(table);
    }

    private static JsonObject Describe(DynamoDbTable table)
    {
        var description = new JsonObject
        {
            ["TableName"] = table.Name,
            ["TableArn"] = table.Arn,
            ["TableStatus"] = "ACTIVE",
            ["KeySchema"] = table.KeySchema.DeepClone(),
            ["AttributeDefinitions"] = table.AttributeDefinitions.DeepClone(),
            ["CreationDateTime"] = table.Created.ToUnixTimeMilliseconds() / 1000.0,
            ["ItemCount"] = table.Items.Count,
            ["TableSizeBytes"] = table.Items.Values.Sum(i => (long)i.ToJsonString().Length),
            ["BillingModeSummary"] = new JsonObject { ["BillingMode"] = "PAY_PER_REQUEST" },
        };
        if (table.StreamViewType is { } view)
        {
            description["StreamSpecification"] = new JsonObject { ["StreamEnabled"] = true, ["StreamViewType"] = view };
            description["LatestStreamLabel"] = table.StreamLabel;
            description["LatestStreamArn"] = table.StreamArn;
        }

        return description;
    }

    private JsonObject DeleteTable(string name)
    {
        var table = Table(name);
        _tables.Remove(table.Name);
        return new JsonObject { ["TableDescription"] = Describe(table) };
    }

    private JsonObject GetItem(JsonObject input)
    {
        var table = Table(input.RequiredString("TableName"));
        var key = table.KeyOf(input.OptionalObject("Key") ?? []);
        return table.Items.TryGetValue(table.KeyString(key), out var item) ? new JsonObject { ["Item"] = item.DeepClone() } : [];
    }

    private JsonObject Scan(JsonObject input)
    {
        var table = Table(input.RequiredString("TableName"));
        return Page(Filter(table.Items.Values, input), table.Items.Count, input);
    }

    /// <summary>Items whose key matches <c>KeyConditionExpression</c>, in sort-key order, then filtered.</summary>
    private JsonObject Query(JsonObject input)
    {
        var table = Table(input.RequiredString("TableName"));
        var expressions = Expressions.From(input);
        var keyCondition = input.RequiredString("KeyConditionExpression");
        var matched = table.Items.Values.Where(i => expressions.Condition(i, keyCondition)).ToList();
        if (table.KeyNames.Count > 1)
        {
            matched.Sort((a, b) => AttributeValues.Compare(a[table.KeyNames[1]]!, b[table.KeyNames[1]]!));
        }

        if (input["ScanIndexForward"]?.GetValue<bool>() == false)
        {
            matched.Reverse();
        }

        return Page(Filter(matched, input), matched.Count, input);
    }

    private static List<JsonObject> Filter(IEnumerable<JsonObject> items, JsonObject input) =>
        input.OptionalString("FilterExpression") is { } filter
            ? [.. items.Where(i => Expressions.From(input).Condition(i, filter))]
            : [.. items];

    private static JsonObject Page(List<JsonObject> items, int scanned, JsonObject input)
    {
        var limited = input.OptionalInt("Limit") is { } limit ? items.Take(limit).ToList() : items;
        return new JsonObject
        {
            ["Items"] = new JsonArray([.. limited.Select(i => (JsonNode)i.DeepClone())]),
            ["Count"] = limited.Count,
            ["ScannedCount"] = scanned,
        };
    }

    private JsonObject BatchWriteItem(JsonObject input)
    {
        var writes = new List<PendingWrite>();
        foreach (var (tableName, requests) in input.OptionalObject("RequestItems") ?? [])
        {
            foreach (var request in (requests as JsonArray ?? []).OfType<JsonObject>())
            {
                writes.Add(request["PutRequest"] is JsonObject put
                    ? Plan("Put", new JsonObject { ["TableName"] = tableName, ["Item"] = put["Item"]?.DeepClone() })
                    : Plan("Delete", new JsonObject { ["TableName"] = tableName, ["Key"] = request["DeleteRequest"]?["Key"]?.DeepClone() }));
            }
        }

        if (writes.Count is 0 or > 25)
        {
            throw new AwsException("ValidationException", "BatchWriteItem takes 1 to 25 requests");
        }

        ApplyAll(writes);
        return new JsonObject { ["UnprocessedItems"] = new JsonObject() };
    }

    private JsonObject TransactWriteItems(JsonObject input)
    {
        var writes = input.Objects("TransactItems").Select(entry => entry.First() is var (kind, operation) && operation is JsonObject op
            ? Plan(kind, op)
            : throw new AwsException("ValidationException", "Invalid TransactItems entry")).ToList();
        if (writes.GroupBy(w => (w.Table.Name, w.Table.KeyString(w.Key))).Any(g => g.Count() > 1))
        {
            throw new AwsException("ValidationException", "Transaction request cannot include multiple operations on one item");
        }

        var reasons = writes.Select(w => w.ConditionHolds() ? "None" : "ConditionalCheckFailed").ToList();
        if (reasons.Any(r => r != "None"))
        {
            throw new AwsException("TransactionCanceledException", $"Transaction cancelled, please refer cancellation reasons for specific reasons [{string.Join(", ", reasons)}]");
        }

        ApplyAll(writes);
        return [];
    }

    /// <summary>Computes every new item first, so that an invalid update leaves the table untouched.</summary>
    private static void ApplyAll(List<PendingWrite> writes)
    {
        var changes = writes.Select(w => (Write: w, Item: w.Compute())).ToList();
        foreach (var (write, item) in changes)
        {
            write.Store(item);
        }
    }

    private static JsonObject Single(PendingWrite write, JsonObject input)
    {
        if (!write.ConditionHolds())
        {
            throw new AwsException("ConditionalCheckFailedException", "The conditional request failed");
        }

        var (old, item) = write.Apply();
        var returned = input.OptionalString("ReturnValues") switch
        {
            "ALL_OLD" or "UPDATED_OLD" => old,
            "ALL_NEW" or "UPDATED_NEW" => item,
            _ => null,
        };
        return returned is null ? [] : new JsonObject { ["Attributes"] = returned.DeepClone() };
    }

    /// <summary>A Put, Update, Delete or ConditionCheck of one item, checked before it is applied.</summary>
    private PendingWrite Plan(string kind, JsonObject input)
    {
        var table = Table(input.RequiredString("TableName"));
        var expressions = Expressions.From(input);
        var key = table.KeyOf(kind == "Put"
            ? input.OptionalObject("Item") ?? throw new AwsException("ValidationException", "Item must not be null")
            : input.OptionalObject("Key") ?? throw new AwsException("ValidationException", "Key must not be null"));
        Func<JsonObject?, JsonObject?>? change = kind switch
        {
            "Put" => _ => (JsonObject)input["Item"]!.DeepClone(),
            "Delete" => _ => null,
            "ConditionCheck" => null,
            "Update" => current =>
            {
                var item = (JsonObject?)current?.DeepClone() ?? (JsonObject)key.DeepClone();
                if (input.OptionalString("UpdateExpression") is { } update)
                {
                    expressions.ApplyUpdate(item, update);
                }

                if (table.KeyNames.Any(n => !AttributeValues.AreEqual(item[n], key[n])))
                {
                    throw new AwsException("ValidationException", "One or more parameter values were invalid: Cannot update attribute of the key");
                }

                return item;
            },
            _ => throw new AwsException("ValidationException", $"Unknown write {kind}"),
        };
        return new PendingWrite(this, table, key, input.OptionalString("ConditionExpression"), expressions, change);
    }

    private sealed record PendingWrite(
        DynamoDbService Service, DynamoDbTable Table, JsonObject Key, string? Condition, Expressions Expressions, Func<JsonObject?, JsonObject?>? Change)
    {
        private JsonObject? Current => Table.Items.GetValueOrDefault(Table.KeyString(Key));

        public bool ConditionHolds() => Condition is null || Expressions.Condition(Current, Condition);

        public (JsonObject? Old, JsonObject? New) Apply()
        {
            var item = Compute();
            return (Store(item), item);
        }

        /// <summary>The item after this write (unchanged for a ConditionCheck).</summary>
        public JsonObject? Compute() => Change is null ? Current : Change(Current);

        /// <summary>Stores the computed item and returns the previous one.</summary>
        public JsonObject? Store(JsonObject? item) => Change is null ? Current : Service.Write(Table, Key, item);
    }
}
