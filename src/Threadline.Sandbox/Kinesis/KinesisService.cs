using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Mappings;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.Kinesis;

/// <summary>
/// Kinesis data streams on the AWS JSON 1.1 protocol (<c>Kinesis_20131202.*</c>): shards splitting the 128-bit
/// hash key space evenly, records placed by the MD5 of their partition key (or an explicit hash key), increasing
/// 56-digit sequence numbers, delivered to functions through event-source mappings (one poller per shard).
/// </summary>
public sealed class KinesisService : IJsonService, IStreamSource
{
    private static readonly BigInteger HashSpace = BigInteger.Pow(2, 128);
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, KinesisStream> _streams = new(StringComparer.Ordinal);
    private long _sequence;

    internal KinesisService(Arns arns, TimeProvider time)
    {
        _arns = arns;
        _time = time;
    }

    string IJsonService.TargetPrefix => "Kinesis_20131202";

    string IJsonService.ErrorTypePrefix => "";

    string IJsonService.ContentType => "application/x-amz-json-1.1";

    /// <summary>Creates a stream with <paramref name="shardCount"/> shards and returns its ARN.</summary>
    public string CreateStream(string name, int shardCount = 1)
    {
        if (shardCount < 1)
        {
            throw new AwsException("ValidationException", "ShardCount must be at least 1");
        }

        lock (_lock)
        {
            if (_streams.ContainsKey(name))
            {
                throw new AwsException("ResourceInUseException", $"Stream {name} under account {_arns.AccountId} already exists.");
            }

            var width = HashSpace / shardCount;
            var shards = Enumerable.Range(0, shardCount).Select(i => new KinesisShard(
                new ShardLog($"shardId-{i:D12}"),
                width * i,
                i == shardCount - 1 ? HashSpace - 1 : (width * (i + 1)) - 1)).ToList();
            _streams[name] = new KinesisStream(name, _arns.KinesisStream(name), _time.GetUtcNow(), shards);
            return _arns.KinesisStream(name);
        }
    }

    IReadOnlyList<ShardLog> IStreamSource.ShardsOf(string streamArn)
    {
        lock (_lock)
        {
            return [.. Stream(streamArn).Shards.Select(s => s.Log)];
        }
    }

    Task<JsonNode> IJsonService.HandleAsync(string operation, JsonObject input, AwsCall call, CancellationToken cancellationToken) => Task.FromResult<JsonNode>(operation switch
    {
        "CreateStream" => CreateStreamFrom(input),
        "DescribeStream" => new JsonObject { ["StreamDescription"] = Describe(StreamOf(input), summary: false) },
        "DescribeStreamSummary" => new JsonObject { ["StreamDescriptionSummary"] = Describe(StreamOf(input), summary: true) },
        "ListStreams" => ListStreams(),
        "ListShards" => new JsonObject { ["Shards"] = Shards(StreamOf(input)) },
        "DeleteStream" => DeleteStream(StreamOf(input)),
        "PutRecord" => Put(StreamOf(input), input),
        "PutRecords" => PutRecords(StreamOf(input), input),
        _ => throw new AwsException("UnknownOperationException", $"Operation {operation} is not emulated"),
    });

    private JsonObject CreateStreamFrom(JsonObject input)
    {
        CreateStream(input.RequiredString("StreamName"), input.OptionalInt("ShardCount") ?? 1);
        return [];
    }

    private KinesisStream StreamOf(JsonObject input) =>
        Stream(input.OptionalString("StreamARN") ?? input.RequiredString("StreamName"));

    private KinesisStream Stream(string nameOrArn)
    {
        lock (_lock)
        {
            return _streams.TryGetValue(Arns.NameOf(nameOrArn), out var stream)
                ? stream
                : throw new AwsException("ResourceNotFoundException", $"Stream {Arns.NameOf(nameOrArn)} under account {_arns.AccountId} not found.");
        }
    }

    private static JsonArray Shards(KinesisStream stream) => new([.. stream.Shards.Select(s => (JsonNode)new JsonObject
    {
        ["ShardId"] = s.Log.ShardId,
        ["HashKeyRange"] = new JsonObject
        {
            ["StartingHashKey"] = s.StartHash.ToString(CultureInfo.InvariantCulture),
            ["EndingHashKey"] = s.EndHash.ToString(CultureInfo.InvariantCulture),
        },
        ["SequenceNumberRange"] = new JsonObject { ["StartingSequenceNumber"] = SequenceNumber(0) },
    })]);

    private static JsonObject Describe(KinesisStream stream, bool summary)
    {
        var description = new JsonObject
        {
            ["StreamName"] = stream.Name,
            ["StreamARN"] = stream.Arn,
            ["StreamStatus"] = "ACTIVE",
            ["StreamModeDetails"] = new JsonObject { ["StreamMode"] = "PROVISIONED" },
            ["RetentionPeriodHours"] = 24,
            ["StreamCreationTimestamp"] = stream.Created.ToUnixTimeMilliseconds() / 1000.0,
            ["EnhancedMonitoring"] = new JsonArray(new JsonObject { ["ShardLevelMetrics"] = new JsonArray() }),
            ["EncryptionType"] = "NONE",
        };
        if (summary)
        {
            description["OpenShardCount"] = stream.Shards.Count;
            description["ConsumerCount"] = 0;
        }
        else
        {
            description["Shards"] = Shards(stream);
            description["HasMoreShards"] = false;
        }

        return description;
    }

    private JsonObject ListStreams()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["StreamNames"] = new JsonArray([.. _streams.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode)n)]),
                ["HasMoreStreams"] = false,
            };
        }
    }

    private JsonObject DeleteStream(KinesisStream stream)
    {
        lock (_lock)
        {
            _streams.Remove(stream.Name);
        }

        return [];
    }

    private JsonObject Put(KinesisStream stream, JsonObject entry)
    {
        var partitionKey = entry.RequiredString("PartitionKey");
        var data = Convert.FromBase64String(entry.OptionalString("Data") ?? "");
        var hash = entry.OptionalString("ExplicitHashKey") is { } explicitKey
            ? BigInteger.Parse(explicitKey, CultureInfo.InvariantCulture)
#pragma warning disable CA5351 // Kinesis defines the hash key as the MD5 of the partition key
            : new BigInteger(MD5.HashData(Encoding.UTF8.GetBytes(partitionKey)), isUnsigned: true, isBigEndian: true);
#pragma warning restore CA5351
        var shard = stream.Shards.First(s => hash >= s.StartHash && hash <= s.EndHash);
        string sequence;
        lock (_lock)
        {
            sequence = SequenceNumber(++_sequence);
            var arrival = _time.GetUtcNow();
            shard.Log.Append(new ShardRecord(sequence, new JsonObject
            {
                ["kinesis"] = new JsonObject
                {
                    ["kinesisSchemaVersion"] = "1.0",
                    ["partitionKey"] = partitionKey,
                    ["sequenceNumber"] = sequence,
                    ["data"] = Convert.ToBase64String(data),
                    ["approximateArrivalTimestamp"] = arrival.ToUnixTimeMilliseconds() / 1000.0,
                },
                ["eventSource"] = "aws:kinesis",
                ["eventVersion"] = "1.0",
                ["eventID"] = $"{shard.Log.ShardId}:{sequence}",
                ["eventName"] = "aws:kinesis:record",
                ["invokeIdentityArn"] = $"arn:aws:iam::{_arns.AccountId}:role/sandbox-lambda-role",
                ["awsRegion"] = _arns.Region,
                ["eventSourceARN"] = stream.Arn,
            }));
        }

        return new JsonObject { ["ShardId"] = shard.Log.ShardId, ["SequenceNumber"] = sequence, ["EncryptionType"] = "NONE" };
    }

    private JsonObject PutRecords(KinesisStream stream, JsonObject input)
    {
        var entries = input.Objects("Records").ToList();
        if (entries.Count is 0 or > 500)
        {
            throw new AwsException("ValidationException", "Records must hold 1 to 500 entries");
        }

        var results = entries.Select(e =>
        {
            var put = Put(stream, e);
            put.Remove("EncryptionType");
            return (JsonNode)put;
        }).ToArray();
        return new JsonObject { ["FailedRecordCount"] = 0, ["Records"] = new JsonArray(results), ["EncryptionType"] = "NONE" };
    }

    private static string SequenceNumber(long n) => "4959" + n.ToString("D52", CultureInfo.InvariantCulture);

    private sealed record KinesisShard(ShardLog Log, BigInteger StartHash, BigInteger EndHash);

    private sealed record KinesisStream(string Name, string Arn, DateTimeOffset Created, IReadOnlyList<KinesisShard> Shards);
}
