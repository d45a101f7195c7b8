using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// Builds a causally ordered topology from a tape of random choices (a shorter tape gives a smaller topology, so
/// FsCheck's shrinking of the tape shrinks the topology), and remembers which hops it made.
/// </summary>
internal sealed class RandomTopology
{
    private readonly int[] _tape;
    private readonly Dictionary<Channel, List<Item>> _pending = [];
    private readonly Dictionary<Channel, List<Item>> _consumed = [];
    private readonly List<(string From, string To, string Description)> _hops = [];
    private readonly List<string> _entries = [];
    private readonly List<string> _labels = [];
    private readonly HashSet<string> _retries = [];
    private int _position;
    private int _counter;

    private RandomTopology(int[] tape) => _tape = tape;

    public ContractSpans Spans { get; } = new();

    private enum Channel
    {
        Sqs, Sns, SnsViaSqs, EventBridge, Kinesis, DynamoDb, S3, LambdaAsync, LambdaSync, HttpParent, ApiGateway, OtelLink, TraceParent,
    }

    /// <summary>One thing a producer caused that a consumer can pick up; <see cref="Link"/> is the producing span.</summary>
    private sealed record Item(string Producer, string Key, (UInt128 TraceId, ulong SpanId) Link, long TimeMs);

    public static RandomTopology Generate(int[] tape)
    {
        var topology = new RandomTopology(tape);
        var steps = 1 + topology.Next(25);
        for (var step = 0; step < steps; step++)
            topology.Step();
        return topology;
    }

    public string[] ExpectedHops() =>
        [.. _hops.Distinct().Select(h => $"{h.From} -> {h.To} {h.Description}").Order(StringComparer.Ordinal)];

    public string[] ExpectedInvocations() => [.. _labels.Order(StringComparer.Ordinal)];

    public string[] ExpectedRetries() => [.. _retries.Order(StringComparer.Ordinal)];

    public string[] ExpectedTransactions()
    {
        var outgoing = _hops.ToLookup(h => h.From, h => h.To);
        return
        [
            .. _entries.Select(entry =>
            {
                var members = new HashSet<string> { entry };
                var pending = new Queue<string>([entry]);
                while (pending.TryDequeue(out var current))
                {
                    foreach (var next in outgoing[current])
                    {
                        if (members.Add(next))
                            pending.Enqueue(next);
                    }
                }
                return $"{entry}: {string.Join(' ', members.Order(StringComparer.Ordinal))}";
            }).Order(StringComparer.Ordinal),
        ];
    }

    private int Next(int bound) => bound <= 1 || _position >= _tape.Length ? 0 : _tape[_position++] % bound;

    private string NewId(string prefix) => $"{prefix}{++_counter}";

    private void Step()
    {
        var available = _pending.Where(p => p.Value.Count > 0).Select(p => p.Key).Order().ToList();
        var redeliverable = _consumed.Where(c => c.Value.Count > 0 && IsMessage(c.Key)).Select(c => c.Key).Order().ToList();
        ContractSpans.Fn fn;
        if (available.Count == 0 || Next(4) == 0)
        {
            fn = Entry();
        }
        else if (redeliverable.Count > 0 && Next(6) == 0)
        {
            var channel = redeliverable[Next(redeliverable.Count)];
            var consumed = _consumed[channel];
            fn = Consume(channel, [consumed[Next(consumed.Count)]], redelivery: true);
        }
        else
        {
            var channel = available[Next(available.Count)];
            var pending = _pending[channel];
            var batch = new List<Item>();
            var size = IsMessage(channel) ? 1 + Next(Math.Min(5, pending.Count)) : 1;
            for (var i = 0; i < size; i++)
            {
                var item = pending[Next(pending.Count)];
                pending.Remove(item);
                batch.Add(item);
            }
            if (!_consumed.TryGetValue(channel, out var consumed))
                _consumed[channel] = consumed = [];
            consumed.AddRange(batch);
            fn = Consume(channel, batch, redelivery: false);
        }
        for (var sends = Next(4); sends > 0; sends--)
            Send(fn, (Channel)Next(13));
    }

    private static bool IsMessage(Channel channel) =>
        channel is not (Channel.LambdaAsync or Channel.LambdaSync or Channel.HttpParent or Channel.ApiGateway);

    private ContractSpans.Fn Entry()
    {
        var label = NewId("entry");
        _entries.Add(label);
        _labels.Add(label);
        return Next(3) == 0
            ? Spans.Service(label, "cron", SpanKind.Internal)
            : Spans.Lambda(label, "api", "apigateway", "POST /orders");
    }

    private ContractSpans.Fn Consume(Channel channel, List<Item> items, bool redelivery)
    {
        var label = NewId("c");
        _labels.Add(label);
        if (redelivery && channel != Channel.TraceParent)
            _retries.Add(label);
        var description = channel switch
        {
            Channel.Sqs => "async sqs q sqs.messageId",
            Channel.Sns => "async sns topic sns.messageId",
            Channel.SnsViaSqs => "async sns fanout sns.messageId",
            Channel.EventBridge => "async eventbridge bus eventbridge.eventId",
            Channel.Kinesis => "async kinesis stream kinesis.sequenceNumber",
            Channel.DynamoDb => "async dynamodb table dynamodb.key",
            Channel.S3 => "async s3 bucket s3.requestId",
            Channel.LambdaAsync => "async lambda mailer lambda.requestId",
            Channel.LambdaSync => "sync lambda pricing lambda.requestId",
            Channel.HttpParent => "sync http svc.internal parent",
            Channel.ApiGateway => "sync apigateway GET /items apigateway.requestId",
            Channel.OtelLink => "async sqs otel-q otel.link",
            _ => "async sns raw traceparent",
        };
        foreach (var item in items)
            _hops.Add((item.Producer, label, description));
        string[] keys = [.. items.Select(i => i.Key)];
        Spans.Tick(10);
        switch (channel)
        {
            case Channel.Sqs:
                return Spans.Lambda(NewId("r"), "sqs-worker", "sqs", "q", keys, label: label);
            case Channel.Sns:
                return Spans.Lambda(NewId("r"), "sns-worker", "sns", "topic", keys, label: label);
            case Channel.SnsViaSqs:
                return Spans.Lambda(NewId("r"), "envelope-worker", "sqs", "fanout-q", [.. keys.SelectMany(k => new[] { $"sqs:msg:{NewId("q")}", k })], label: label);
            case Channel.EventBridge:
                return Spans.Lambda(NewId("r"), "bus-worker", "eventbridge", "bus", keys, label: label);
            case Channel.Kinesis:
                return Spans.Lambda(NewId("r"), "stream-worker", "kinesis", "stream", keys, label: label);
            case Channel.DynamoDb:
                return Spans.Lambda(NewId("r"), "table-worker", "dynamodb", "table", keys, [.. items.Select(i => i.TimeMs)], label: label);
            case Channel.S3:
                return Spans.Lambda(NewId("r"), "bucket-worker", "s3", "bucket",
                    [.. keys, .. keys.Select(k => $"s3:obj:bucket/{k[7..]}.json/etag-{k[7..]}")], label: label);
            case Channel.LambdaAsync:
                return Spans.Lambda(items[0].Key[CorrelationKeys.LambdaRequest.Length..], "mailer", "invoke", label: label);
            case Channel.LambdaSync:
                return Spans.Lambda(items[0].Key[CorrelationKeys.LambdaRequest.Length..], "pricing", "invoke", label: label);
            case Channel.HttpParent:
                return Spans.Service(label, "svc", SpanKind.Server, parent: items[0].Link);
            case Channel.ApiGateway:
                return Spans.Lambda(NewId("r"), "items-api", "apigateway", "GET /items", keys, parent: items[0].Link, label: label);
            case Channel.OtelLink:
                var consumer = Spans.Lambda(NewId("r"), "otel-worker", "other", label: label);
                consumer.Child("otel-q process", SpanKind.Consumer,
                    [new("messaging.system", "aws_sqs"), new("messaging.destination.name", "otel-q")],
                    [.. items.Select(i => new SpanLink(i.Link.TraceId, i.Link.SpanId, null, [new("messaging.message.id", i.Key[CorrelationKeys.SqsMessage.Length..])]))]);
                return consumer;
            default:
                return Spans.Lambda(NewId("r"), "raw-worker", "sqs", "raw-q", [$"sqs:msg:{NewId("q")}"],
                    links: [.. items.Select(i => new SpanLink(i.Link.TraceId, i.Link.SpanId, null, []))], label: label);
        }
    }

    private void Send(ContractSpans.Fn fn, Channel channel)
    {
        var batches = channel is Channel.Sqs or Channel.Sns or Channel.SnsViaSqs or Channel.EventBridge or Channel.Kinesis or Channel.DynamoDb;
        var count = batches ? 1 + Next(3) : 1;
        string[] ids = [.. Enumerable.Range(0, count).Select(_ => NewId("id"))];
        var timeMs = Spans.Now / 1_000_000;
        (UInt128, ulong) span = channel switch
        {
            Channel.Sqs => fn.AwsCall("SQS", count == 1 ? "SendMessage" : "SendMessageBatch", "q", [.. ids.Select(i => CorrelationKeys.SqsMessage + i)]),
            Channel.Sns => fn.AwsCall("SNS", "PublishBatch", "topic", [.. ids.Select(i => CorrelationKeys.SnsMessage + i)]),
            Channel.SnsViaSqs => fn.AwsCall("SNS", "PublishBatch", "fanout", [.. ids.Select(i => CorrelationKeys.SnsMessage + i)]),
            Channel.EventBridge => fn.AwsCall("EventBridge", "PutEvents", "bus", [.. ids.Select(i => CorrelationKeys.EventBridgeEvent + i)]),
            Channel.Kinesis => fn.AwsCall("Kinesis", "PutRecords", "stream", [.. ids.Select(i => $"{CorrelationKeys.KinesisRecord}stream/shardId-1/{i}")]),
            Channel.DynamoDb => fn.AwsCall("DynamoDB", "BatchWriteItem", "table", [], null,
            [
                new("threadline.dynamodb.pairs", ids.Select(i => (object?)$"{ContractSpans.Pair("pk", "S", i)}&{ContractSpans.Pair("body", "S", "x")}").ToList()),
                new("threadline.dynamodb.tables", ids.Select(_ => (object?)"table").ToList()),
            ]),
            Channel.S3 => fn.AwsCall("S3", "PutObject", "bucket", [$"{CorrelationKeys.S3Request}{ids[0]}", $"s3:obj:bucket/{ids[0]}.json/etag-{ids[0]}"], ids[0]),
            Channel.LambdaAsync => fn.AwsCall("Lambda", "Invoke", "mailer", [CorrelationKeys.LambdaRequest + ids[0]], ids[0], [new("http.response.status_code", 202L)]),
            Channel.LambdaSync => fn.AwsCall("Lambda", "Invoke", "pricing", [CorrelationKeys.LambdaRequest + ids[0]], ids[0], [new("http.response.status_code", 200L)]),
            Channel.HttpParent => fn.HttpCall("svc.internal"),
            Channel.ApiGateway => fn.HttpCall("api.example.com", ids[0]),
            Channel.OtelLink => fn.Child("otel-q send", SpanKind.Producer,
            [
                new("rpc.system", "aws-api"), new("rpc.service", "SQS"), new("rpc.method", "SendMessage"),
                new("messaging.system", "aws_sqs"), new("messaging.destination.name", "otel-q"), new("messaging.message.id", ids[0]),
            ]),
            _ => fn.AwsCall("SNS", "Publish", "raw", [CorrelationKeys.SnsMessage + ids[0]]),
        };
        if (!_pending.TryGetValue(channel, out var pending))
            _pending[channel] = pending = [];
        foreach (var id in ids)
            pending.Add(new Item(fn.Label, KeyOf(channel, id), span, timeMs));
    }

    private static string KeyOf(Channel channel, string id) => channel switch
    {
        Channel.Sqs or Channel.OtelLink => CorrelationKeys.SqsMessage + id,
        Channel.Sns or Channel.SnsViaSqs or Channel.TraceParent => CorrelationKeys.SnsMessage + id,
        Channel.EventBridge => CorrelationKeys.EventBridgeEvent + id,
        Channel.Kinesis => $"{CorrelationKeys.KinesisRecord}stream/shardId-1/{id}",
        Channel.DynamoDb => ContractSpans.ItemKey("table", ContractSpans.Pair("pk", "S", id)),
        Channel.S3 => CorrelationKeys.S3Request + id,
        Channel.LambdaAsync or Channel.LambdaSync => CorrelationKeys.LambdaRequest + id,
        _ => CorrelationKeys.ApiGatewayRequest + id,
    };
}
