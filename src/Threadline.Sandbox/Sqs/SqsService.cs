using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.Sqs;

/// <summary>
/// SQS standard queues on the AWS JSON 1.0 protocol (<c>AmazonSQS.*</c>, as AWS SDKs v4 / JS v3 speak it):
/// visibility timeout, delays, long polling, redrive to a dead-letter queue after <c>maxReceiveCount</c> receives.
/// </summary>
public sealed partial class SqsService : IJsonService
{
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly Func<Uri> _endpoint;
    private readonly CancellationToken _stopping;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqsQueue> _queues = new(StringComparer.Ordinal);

    internal SqsService(Arns arns, TimeProvider time, Func<Uri> endpoint, CancellationToken stopping)
    {
        _arns = arns;
        _time = time;
        _endpoint = endpoint;
        _stopping = stopping;
    }

    string IJsonService.TargetPrefix => "AmazonSQS";

    string IJsonService.ErrorTypePrefix => "com.amazonaws.sqs#";

    string IJsonService.ContentType => "application/x-amz-json-1.0";

    /// <summary>Creates a queue (idempotent) and returns its URL.</summary>
    public string CreateQueue(string name, IReadOnlyDictionary<string, string>? attributes = null)
    {
        lock (_lock)
        {
            if (!_queues.TryGetValue(name, out var queue))
            {
                queue = new SqsQueue(name, _arns.Queue(name), $"{_endpoint().ToString().TrimEnd('/')}/{_arns.AccountId}/{name}", _time.GetUtcNow());
                _queues[name] = queue;
            }

            SetAttributes(queue, attributes ?? new Dictionary<string, string>());
            return queue.Url;
        }
    }

    /// <summary>Sends a message as another service does (SNS, S3, EventBridge deliveries) and returns its id.</summary>
    public string Send(string queueNameUrlOrArn, string body, IReadOnlyDictionary<string, MessageAttribute>? attributes = null, string? traceHeader = null)
    {
        lock (_lock)
        {
            return Enqueue(Find(queueNameUrlOrArn), body, attributes ?? new Dictionary<string, MessageAttribute>(), traceHeader, TimeSpan.Zero).Id;
        }
    }

    internal bool Exists(string queueNameUrlOrArn)
    {
        lock (_lock)
        {
            return _queues.ContainsKey(NameOf(queueNameUrlOrArn));
        }
    }

    internal SqsQueue Find(string queueNameUrlOrArn)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(NameOf(queueNameUrlOrArn), out var queue)
                ? queue
                : throw new AwsException("QueueDoesNotExist", "The specified queue does not exist.");
        }
    }

    /// <summary>Receives up to <paramref name="max"/> visible messages, moving over-received ones to the dead-letter queue.</summary>
    internal IReadOnlyList<SqsMessage> Receive(SqsQueue queue, int max, TimeSpan? visibilityTimeout)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var received = new List<SqsMessage>();
            foreach (var message in queue.Messages.Where(m => m.VisibleAt <= now).ToList())
            {
                if (received.Count >= max)
                {
                    break;
                }

                if (queue.DeadLetterTargetArn is { } dlq && queue.MaxReceiveCount > 0 && message.ReceiveCount >= queue.MaxReceiveCount
                    && _queues.TryGetValue(NameOf(dlq), out var deadLetters))
                {
                    queue.Messages.Remove(message);
                    var moved = new SqsMessage(message.Id, message.Body, message.Attributes, message.TraceHeader, message.Sent)
                    {
                        ReceiveCount = message.ReceiveCount,
                        FirstReceived = message.FirstReceived,
                    };
                    deadLetters.Messages.Add(moved);
                    deadLetters.Arrived.Pulse();
                    continue;
                }

                message.ReceiveCount++;
                message.FirstReceived ??= now;
                message.VisibleAt = now + (visibilityTimeout ?? queue.VisibilityTimeout);
                message.ReceiptHandle = $"{message.Id}#{Guid.NewGuid():N}";
                received.Add(message);
            }

            return received;
        }
    }

    internal bool Delete(SqsQueue queue, string receiptHandle)
    {
        lock (_lock)
        {
            return queue.Messages.RemoveAll(m => m.ReceiptHandle == receiptHandle) > 0;
        }
    }

    internal void ChangeVisibility(SqsQueue queue, string receiptHandle, TimeSpan timeout)
    {
        lock (_lock)
        {
            var message = queue.Messages.FirstOrDefault(m => m.ReceiptHandle == receiptHandle)
                ?? throw new AwsException("ReceiptHandleIsInvalid", $"The input receipt handle \"{receiptHandle}\" is not a valid receipt handle.");
            message.VisibleAt = _time.GetUtcNow() + timeout;
            if (timeout == TimeSpan.Zero)
            {
                queue.Arrived.Pulse();
            }
        }
    }

    /// <summary>How long a poller should wait before visible messages may appear without a new send.</summary>
    internal TimeSpan UntilNextVisible(SqsQueue queue, TimeSpan atMost)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return queue.NextVisible(now) is { } next && next - now < atMost ? next - now : atMost;
        }
    }

    private static string NameOf(string queueNameUrlOrArn)
    {
        var trimmed = queueNameUrlOrArn.TrimEnd('/');
        var cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(':'));
        return trimmed[(cut + 1)..];
    }

    private SqsMessage Enqueue(SqsQueue queue, string body, IReadOnlyDictionary<string, MessageAttribute> attributes, string? traceHeader, TimeSpan delay)
    {
        if (attributes.Count > 10)
        {
            throw new AwsException("InvalidParameterValue", "Number of message attributes [" + attributes.Count + "] exceeds the allowed maximum [10].");
        }

        var now = _time.GetUtcNow();
        var message = new SqsMessage(Guid.NewGuid().ToString(), body, attributes, traceHeader, now)
        {
            VisibleAt = now + (delay > TimeSpan.Zero ? delay : queue.Delay),
        };
        queue.Messages.Add(message);
        queue.Arrived.Pulse();
        return message;
    }

    private static void SetAttributes(SqsQueue queue, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            switch (name)
            {
                case "VisibilityTimeout":
                    queue.VisibilityTimeout = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture));
                    break;
                case "DelaySeconds":
                    queue.Delay = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture));
                    break;
                case "RedrivePolicy":
                    var policy = JsonNode.Parse(value) as JsonObject ?? throw new AwsException("InvalidAttributeValue", "Invalid value for the parameter RedrivePolicy.");
                    queue.RedrivePolicy = value;
                    queue.DeadLetterTargetArn = policy["deadLetterTargetArn"]?.GetValue<string>();
                    queue.MaxReceiveCount = policy["maxReceiveCount"] switch
                    {
                        JsonValue v when v.TryGetValue<int>(out var i) => i,
                        JsonValue v => int.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture),
                        _ => 0,
                    };
                    break;
                default:
                    break; // accepted and ignored: retention, policies, KMS, FIFO options
            }
        }
    }
}
