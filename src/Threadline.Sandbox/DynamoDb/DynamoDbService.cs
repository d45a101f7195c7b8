using System.Globalization;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Mappings;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.DynamoDb;

/// <summary>
/// DynamoDB tables on the AWS JSON 1.0 protocol (<c>DynamoDB_20120810.*</c>), with streams of every view type
/// delivered to functions through event-source mappings. Every write that changes an item appends one stream
/// record: INSERT, MODIFY or REMOVE, with the images the view type asks for.
/// </summary>
public sealed partial class DynamoDbService : IJsonService, IStreamSource
{
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DynamoDbTable> _tables = new(StringComparer.Ordinal);
    private long _sequence = 100_000_000_000;

    internal DynamoDbService(Arns arns, TimeProvider time)
    {
        _arns = arns;
        _time = time;
    }

    string IJsonService.TargetPrefix => "DynamoDB_20120810";

    string IJsonService.ErrorTypePrefix => "com.amazonaws.dynamodb.v20120810#";

    string IJsonService.ContentType => "application/x-amz-json-1.0";

    /// <summary>The ARN of the table's current stream, for an event-source mapping.</summary>
    public string StreamArnOf(string tableName)
    {
        lock (_lock)
        {
            return Table(tableName).StreamArn ?? throw new AwsException("ValidationException", $"Table {tableName} has no stream");
        }
    }

    IReadOnlyList<ShardLog> IStreamSource.ShardsOf(string streamArn)
    {
        lock (_lock)
        {
            return [_tables.Values.FirstOrDefault(t => t.StreamArn == streamArn)?.Stream
                ?? throw new AwsException("ResourceNotFoundException", $"Stream not found: {streamArn}")];
        }
    }

    private DynamoDbTable Table(string name) =>
        _tables.TryGetValue(Arns.NameOf(name), out var table)
            ? table
            : throw new AwsException("ResourceNotFoundException", "Requested resource not found");

    /// <summary>Replaces (or with null removes) the item with <paramref name="key"/>, appending its stream record.</summary>
    private JsonObject? Write(DynamoDbTable table, JsonObject key, JsonObject? item)
    {
        var keyString = table.KeyString(key);
        table.Items.TryGetValue(keyString, out var old);
        if (item is null)
        {
            table.Items.Remove(keyString);
        }
        else
        {
            table.Items[keyString] = item;
        }

        if (table.StreamViewType is { } view && !(old is null && item is null) && !(old is not null && item is not null && JsonNode.DeepEquals(old, item)))
        {
            table.Stream.Append(StreamRecord(table, view, key, old, item));
        }

        return old;
    }

    private ShardRecord StreamRecord(DynamoDbTable table, string view, JsonObject key, JsonObject? old, JsonObject? item)
    {
        var sequence = (++_sequence).ToString("D21", CultureInfo.InvariantCulture);
        var change = new JsonObject
        {
            ["ApproximateCreationDateTime"] = _time.GetUtcNow().ToUnixTimeSeconds(),
            ["Keys"] = key.DeepClone(),
        };
        if (item is not null && view is "NEW_IMAGE" or "NEW_AND_OLD_IMAGES")
        {
            change["NewImage"] = item.DeepClone();
        }

        if (old is not null && view is "OLD_IMAGE" or "NEW_AND_OLD_IMAGES")
        {
            change["OldImage"] = old.DeepClone();
        }

        change["SequenceNumber"] = sequence;
        change["SizeBytes"] = change.ToJsonString().Length;
        change["StreamViewType"] = view;
        return new ShardRecord(sequence, new JsonObject
        {
            ["eventID"] = Guid.NewGuid().ToString("N"),
            ["eventName"] = (old, item) switch { (null, _) => "INSERT", (_, null) => "REMOVE", _ => "MODIFY" },
            ["eventVersion"] = "1.1",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = _arns.Region,
            ["dynamodb"] = change,
            ["eventSourceARN"] = table.StreamArn,
        });
    }
}
