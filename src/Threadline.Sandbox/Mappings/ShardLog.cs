using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Mappings;

/// <summary>A record of a stream shard, already in the shape of a Lambda event record.</summary>
internal sealed record ShardRecord(string SequenceNumber, JsonObject EventRecord);

/// <summary>An append-only shard (a DynamoDB stream's or a Kinesis stream's) that pollers read by position.</summary>
internal sealed class ShardLog(string shardId)
{
    private readonly Lock _lock = new();
    private readonly List<ShardRecord> _records = [];

    public string ShardId { get; } = shardId;

    public AsyncSignal Appended { get; } = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    public void Append(ShardRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
        }

        Appended.Pulse();
    }

    public IReadOnlyList<ShardRecord> Read(int from, int max)
    {
        lock (_lock)
        {
            return from >= _records.Count ? [] : _records.GetRange(from, Math.Min(max, _records.Count - from));
        }
    }
}

/// <summary>A service whose ARNs name streams of shards (DynamoDB Streams, Kinesis).</summary>
internal interface IStreamSource
{
    IReadOnlyList<ShardLog> ShardsOf(string streamArn);
}
