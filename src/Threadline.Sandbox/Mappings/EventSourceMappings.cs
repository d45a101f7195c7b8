using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Sqs;

namespace Threadline.Sandbox.Mappings;

/// <summary>A running event-source mapping.</summary>
public sealed class EventSourceMapping
{
    internal EventSourceMapping(EventSourceMappingConfig config, DateTimeOffset created, CancellationTokenSource stop)
    {
        Config = config;
        Created = created;
        Stop = stop;
    }

    public string Uuid { get; } = Guid.NewGuid().ToString();

    public EventSourceMappingConfig Config { get; }

    public DateTimeOffset Created { get; }

    internal CancellationTokenSource Stop { get; }
}

/// <summary>
/// Lambda's pollers: SQS queues (batches; failed messages come back after the visibility timeout with
/// <c>ApproximateReceiveCount</c> incremented, then go to the dead-letter queue), DynamoDB and Kinesis streams
/// (one poller per shard, in order; a failed batch is retried whole, or from its first reported failure).
/// </summary>
public sealed class EventSourceMappings
{
    private readonly SandboxHost _host;
    private readonly BackgroundWork _background;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, EventSourceMapping> _mappings = new(StringComparer.Ordinal);

    internal EventSourceMappings(SandboxHost host, BackgroundWork background)
    {
        _host = host;
        _background = background;
    }

    /// <summary>Creates and starts a mapping; the source and the function must exist.</summary>
    public EventSourceMapping Add(EventSourceMappingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _host.Functions.Current(config.FunctionName);
        if (config.OnFailureDestination is { } destination && (Arns.ServiceOf(destination) is not ("sqs" or "sns") || !_host.Deliveries.Exists(destination)))
        {
            throw new AwsException("InvalidParameterValueException", $"The on-failure destination must be an existing queue or topic: {destination}");
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(_background.Stopping);
        var mapping = new EventSourceMapping(config, _host.Options.TimeProvider.GetUtcNow(), stop);
        switch (Arns.ServiceOf(config.EventSourceArn))
        {
            case "sqs":
                var queue = _host.Sqs.Find(config.EventSourceArn);
                for (var i = 0; i < Math.Max(1, config.MaximumConcurrency); i++)
                {
                    _background.Run(_ => PollQueueAsync(queue, config, stop.Token));
                }

                break;
            case "dynamodb" or "kinesis":
                var source = _host.StreamSource(config.EventSourceArn);
                foreach (var shard in source.ShardsOf(config.EventSourceArn))
                {
                    var from = config.StartingPosition == StartingPosition.Latest ? shard.Count : 0;
                    _background.Run(_ => PollShardAsync(shard, from, config, stop.Token));
                }

                break;
            default:
                throw new AwsException("InvalidParameterValueException", $"Unsupported event source: {config.EventSourceArn}");
        }

        lock (_lock)
        {
            _mappings[mapping.Uuid] = mapping;
        }

        return mapping;
    }

    public IReadOnlyList<EventSourceMapping> List()
    {
        lock (_lock)
        {
            return [.. _mappings.Values];
        }
    }

    public EventSourceMapping Get(string uuid)
    {
        lock (_lock)
        {
            return _mappings.TryGetValue(uuid, out var mapping)
                ? mapping
                : throw new AwsException("ResourceNotFoundException", $"The resource you requested does not exist. (Service: Lambda, Mapping: {uuid})", 404);
        }
    }

    /// <summary>Stops and removes a mapping.</summary>
    public EventSourceMapping Delete(string uuid)
    {
        var mapping = Get(uuid);
        lock (_lock)
        {
            _mappings.Remove(uuid);
        }

        mapping.Stop.Cancel();
        return mapping;
    }

    /// <summary>
    /// The identifiers of a batch that a function reported in <c>batchItemFailures</c> (none without the setting).
    /// As Lambda does, an identifier that is missing or not of this batch fails the whole batch.
    /// </summary>
    internal static IReadOnlySet<string> BatchItemFailures(InvocationRecord record, EventSourceMappingConfig config, IReadOnlyList<string> batch)
    {
        if (!config.ReportBatchItemFailures || record.Response is not JsonObject response || response["batchItemFailures"] is not JsonArray failures)
        {
            return new HashSet<string>();
        }

        var reported = failures.Select(f => f?["itemIdentifier"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).ToList();
        return reported.All(id => id is not null && batch.Contains(id)) ? reported.ToHashSet()! : batch.ToHashSet();
    }

    /// <summary>How often a batching window is re-checked against the clock (the clock may be a test's).</summary>
    private static readonly TimeSpan WindowRecheck = TimeSpan.FromMilliseconds(200);

    private static TimeSpan Shortest(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task PollQueueAsync(SqsQueue queue, EventSourceMappingConfig config, CancellationToken stopping)
    {
        var sqs = _host.Sqs;
        var time = _host.Options.TimeProvider;
        while (!stopping.IsCancellationRequested)
        {
            var size = Math.Clamp(config.BatchSize ?? 10, 1, 10_000);
            var messages = sqs.Receive(queue, size, null).ToList();
            if (messages.Count == 0)
            {
                await queue.Arrived.WaitAsync(sqs.UntilNextVisible(queue, TimeSpan.FromSeconds(1)), time, stopping).ConfigureAwait(false);
                continue;
            }

            // Gather more, up to the batch size, while the batching window lasts (the first messages are in flight meanwhile).
            var windowEnd = time.GetUtcNow() + config.MaximumBatchingWindow;
            while (messages.Count < size && time.GetUtcNow() < windowEnd)
            {
                await queue.Arrived.WaitAsync(Shortest(windowEnd - time.GetUtcNow(), WindowRecheck), time, stopping).ConfigureAwait(false);
                messages.AddRange(sqs.Receive(queue, size - messages.Count, null));
            }

            var records = messages.Select(m => (JsonNode)SqsEvents.Record(m, queue, sqs.SystemAttributes(m), _host.Arns.Region)).ToArray();
            var handles = messages.Select(m => (m.Id, Handle: m.ReceiptHandle!)).ToList();
            var result = await _host.Functions.InvokeAsync(config.FunctionName, new JsonObject { ["Records"] = new JsonArray(records) }).ConfigureAwait(false);
            if (result.Failed)
            {
                continue; // the messages become visible again when their visibility timeout ends
            }

            var failed = BatchItemFailures(result, config, [.. handles.Select(h => h.Id)]);
            foreach (var (id, handle) in handles.Where(h => !failed.Contains(h.Id)))
            {
                sqs.Delete(queue, handle);
            }
        }
    }

    private async Task PollShardAsync(ShardLog shard, int position, EventSourceMappingConfig config, CancellationToken stopping)
    {
        var time = _host.Options.TimeProvider;
        var retries = 0;
        DateTimeOffset? windowEnd = null;
        // Bisecting: each split is (end of the batch that failed, half its size); batches stay within the innermost split.
        var splits = new Stack<(int End, int Limit)>();
        while (!stopping.IsCancellationRequested)
        {
            while (splits.Count > 0 && position >= splits.Peek().End)
            {
                splits.Pop();
            }

            var bisectLimit = splits.Count > 0 ? splits.Peek().Limit : int.MaxValue;
            var size = Math.Min(Math.Clamp(config.BatchSize ?? 100, 1, 10_000), bisectLimit);
            var batch = shard.Read(position, size);
            if (batch.Count == 0)
            {
                await shard.Appended.WaitAsync(TimeSpan.FromSeconds(1), time, stopping).ConfigureAwait(false);
                continue;
            }

            // A batch that is not full waits for more records while the batching window lasts (not on retries).
            windowEnd ??= time.GetUtcNow() + config.MaximumBatchingWindow;
            if (batch.Count < size && retries == 0 && bisectLimit == int.MaxValue && time.GetUtcNow() < windowEnd)
            {
                await shard.Appended.WaitAsync(Shortest(windowEnd.Value - time.GetUtcNow(), WindowRecheck), time, stopping).ConfigureAwait(false);
                continue;
            }

            windowEnd = null;

            var records = batch.Select(r => (JsonNode)r.EventRecord.DeepClone()).ToArray();
            var result = await _host.Functions.InvokeAsync(config.FunctionName, new JsonObject { ["Records"] = new JsonArray(records) }).ConfigureAwait(false);
            var sequenceNumbers = batch.Select(r => r.SequenceNumber).ToList();
            var failed = result.Failed ? sequenceNumbers.ToHashSet() : BatchItemFailures(result, config, sequenceNumbers);
            var firstFailed = sequenceNumbers.FindIndex(failed.Contains);
            if (firstFailed < 0)
            {
                position += batch.Count;
                retries = 0;
                continue;
            }

            // A function error on a batch of several records: split it and retry the halves, without spending a retry.
            if (result.Failed && config.BisectBatchOnFunctionError && batch.Count > 1)
            {
                splits.Push((position + batch.Count, (batch.Count + 1) / 2));
                continue;
            }

            // Retry the batch (or the rest of it from the first reported failure), unless the retries are spent.
            position += firstFailed;
            if (config.MaximumRetryAttempts >= 0 && ++retries > config.MaximumRetryAttempts)
            {
                if (config.OnFailureDestination is { } destination)
                {
                    _host.Deliveries.Deliver(destination, FailureRecord(config, shard, batch.Skip(firstFailed).ToList(), result, retries));
                }

                position += batch.Count - firstFailed;
                retries = 0;
            }

            await Task.Delay(_host.Options.StreamRetryDelay, time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The invocation record Lambda sends to an on-failure destination for a skipped stream batch: the condition, the
    /// last response, and the shard with the sequence number range of the skipped records (not the records).
    /// </summary>
    private JsonObject FailureRecord(EventSourceMappingConfig config, ShardLog shard, IReadOnlyList<ShardRecord> skipped, InvocationRecord result, int invocations)
    {
        var kinesis = Arns.ServiceOf(config.EventSourceArn) == "kinesis";
        return new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = result.RequestId,
                ["functionArn"] = _host.Arns.Function(config.FunctionName),
                ["condition"] = "RetryAttemptsExhausted",
                ["approximateInvokeCount"] = invocations,
            },
            ["responseContext"] = new JsonObject
            {
                ["statusCode"] = 200,
                ["executedVersion"] = result.Version,
                ["functionError"] = result.Failed ? "Unhandled" : null,
            },
            ["version"] = "1.0",
            ["timestamp"] = _host.Options.TimeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            [kinesis ? "KinesisBatchInfo" : "DDBStreamBatchInfo"] = new JsonObject
            {
                ["shardId"] = shard.ShardId,
                ["startSequenceNumber"] = skipped[0].SequenceNumber,
                ["endSequenceNumber"] = skipped[^1].SequenceNumber,
                ["batchSize"] = skipped.Count,
                ["streamArn"] = config.EventSourceArn,
            },
        };
    }
}
