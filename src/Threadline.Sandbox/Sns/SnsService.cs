using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Threadline.Sandbox.Protocol;
using Threadline.Sandbox.Sqs;

namespace Threadline.Sandbox.Sns;

/// <summary>
/// SNS standard topics on the query protocol: subscriptions of functions and queues, raw message delivery on or
/// off, Publish and PublishBatch. A queue without raw delivery receives the SNS envelope JSON
/// (<c>"Type":"Notification"</c>, the published <c>MessageId</c>); a function receives an <c>aws:sns</c> event.
/// </summary>
public sealed class SnsService : IQueryService
{
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly Func<Uri> _endpoint;
    private readonly Deliveries _deliveries;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);

    internal SnsService(Arns arns, TimeProvider time, Func<Uri> endpoint, Deliveries deliveries)
    {
        _arns = arns;
        _time = time;
        _endpoint = endpoint;
        _deliveries = deliveries;
    }

    XNamespace IQueryService.XmlNamespace => "http://sns.amazonaws.com/doc/2010-03-31/";

    /// <summary>Creates a topic (idempotent) and returns its ARN.</summary>
    public string CreateTopic(string name)
    {
        lock (_lock)
        {
            var arn = _arns.Topic(name);
            _topics.TryAdd(arn, new Topic(arn));
            return arn;
        }
    }

    /// <summary>Subscribes a function or queue ARN and returns the subscription ARN.</summary>
    public string Subscribe(string topicArn, string endpointArn, bool rawMessageDelivery = false)
    {
        if (!_deliveries.Exists(endpointArn) || Arns.ServiceOf(endpointArn) is not ("lambda" or "sqs"))
        {
            throw new AwsException("InvalidParameter", $"Invalid parameter: Endpoint {endpointArn} (only existing functions and queues are emulated)");
        }

        lock (_lock)
        {
            var topic = Find(topicArn);
            var existing = topic.Subscriptions.FirstOrDefault(s => s.Endpoint == endpointArn);
            if (existing is not null)
            {
                return existing.Arn;
            }

            var subscription = new Subscription($"{topic.Arn}:{Guid.NewGuid()}", Arns.ServiceOf(endpointArn)!, endpointArn) { Raw = rawMessageDelivery };
            topic.Subscriptions.Add(subscription);
            return subscription.Arn;
        }
    }

    /// <summary>Publishes to every subscription and returns the message id.</summary>
    public string Publish(string topicArn, string message, string? subject = null, IReadOnlyDictionary<string, MessageAttribute>? attributes = null, string? traceHeader = null)
    {
        List<Subscription> subscriptions;
        lock (_lock)
        {
            subscriptions = [.. Find(topicArn).Subscriptions];
        }

        var id = Guid.NewGuid().ToString();
        var timestamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        attributes ??= new Dictionary<string, MessageAttribute>();
        foreach (var subscription in subscriptions)
        {
            var envelope = Envelope(id, topicArn, subject, message, timestamp, attributes, subscription.Arn, forLambda: subscription.Protocol == "lambda");
            if (subscription.Protocol == "lambda")
            {
                var record = new JsonObject
                {
                    ["EventSource"] = "aws:sns",
                    ["EventVersion"] = "1.0",
                    ["EventSubscriptionArn"] = subscription.Arn,
                    ["Sns"] = envelope,
                };
                _deliveries.Deliver(subscription.Endpoint, new JsonObject { ["Records"] = new JsonArray(record) });
            }
            else if (subscription.Raw)
            {
                _deliveries.SendToQueue(subscription.Endpoint, message, attributes, traceHeader);
            }
            else
            {
                _deliveries.SendToQueue(subscription.Endpoint, envelope.ToWire(), null, traceHeader);
            }
        }

        return id;
    }

    internal bool Exists(string topicArn)
    {
        lock (_lock)
        {
            return _topics.ContainsKey(topicArn);
        }
    }

    IEnumerable<XElement> IQueryService.Handle(string action, IReadOnlyDictionary<string, string> parameters, AwsCall call) => action switch
    {
        "CreateTopic" => [new XElement("TopicArn", CreateTopic(parameters.Required("Name")))],
        "DeleteTopic" => DeleteTopic(parameters.Required("TopicArn")),
        "ListTopics" => [new XElement("Topics", Snapshot(t => t.Arn).Select(arn => new XElement("member", new XElement("TopicArn", arn))))],
        "Subscribe" => [new XElement("SubscriptionArn", Subscribe(parameters.Required("TopicArn"), parameters.Required("Endpoint"),
            QueryXml.Map(parameters, "Attributes").GetValueOrDefault("RawMessageDelivery") is "true"))],
        "SetSubscriptionAttributes" => SetSubscriptionAttributes(parameters),
        "GetSubscriptionAttributes" => GetSubscriptionAttributes(parameters.Required("SubscriptionArn")),
        "ListSubscriptionsByTopic" => ListSubscriptions(parameters.Required("TopicArn")),
        "Unsubscribe" => Unsubscribe(parameters.Required("SubscriptionArn")),
        "Publish" => [new XElement("MessageId", Publish(
            parameters.GetValueOrDefault("TopicArn") ?? parameters.Required("TargetArn"), parameters.Required("Message"),
            parameters.GetValueOrDefault("Subject"), Attributes(parameters, "MessageAttributes"), call.TraceHeader))],
        "PublishBatch" => PublishBatch(parameters, call),
        _ => throw new AwsException("InvalidAction", $"The action {action} is not valid for this endpoint.", 400),
    };

    private Topic Find(string topicArn) =>
        _topics.TryGetValue(topicArn, out var topic) ? topic : throw new AwsException("NotFound", "Topic does not exist", 404);

    private List<T> Snapshot<T>(Func<Topic, T> select)
    {
        lock (_lock)
        {
            return [.. _topics.Values.Select(select)];
        }
    }

    private static Dictionary<string, MessageAttribute> Attributes(IReadOnlyDictionary<string, string> parameters, string prefix) =>
        QueryXml.StructMap(parameters, prefix).ToDictionary(
            a => a.Name,
            a => new MessageAttribute(a.Value("DataType") ?? "String", a.Value("StringValue"), a.Value("BinaryValue") is { } b ? Convert.FromBase64String(b) : null),
            StringComparer.Ordinal);

    private JsonObject Envelope(string id, string topicArn, string? subject, string message, string timestamp,
        IReadOnlyDictionary<string, MessageAttribute> attributes, string subscriptionArn, bool forLambda)
    {
        var endpoint = _endpoint().ToString().TrimEnd('/');
        var envelope = new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = id,
            ["TopicArn"] = topicArn,
        };
        if (subject is not null || forLambda)
        {
            envelope["Subject"] = subject;
        }

        envelope["Message"] = message;
        envelope["Timestamp"] = timestamp;
        envelope["SignatureVersion"] = "1";
        envelope["Signature"] = "EXAMPLE-sandbox-does-not-sign";
        envelope[forLambda ? "SigningCertUrl" : "SigningCertURL"] = $"{endpoint}/SimpleNotificationService-sandbox.pem";
        envelope[forLambda ? "UnsubscribeUrl" : "UnsubscribeURL"] = $"{endpoint}/?Action=Unsubscribe&SubscriptionArn={subscriptionArn}";
        if (attributes.Count > 0 || forLambda)
        {
            envelope["MessageAttributes"] = new JsonObject(attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonObject
            {
                ["Type"] = a.Value.DataType,
                ["Value"] = a.Value.StringValue ?? (a.Value.BinaryValue is { } b ? Convert.ToBase64String(b) : null),
            })));
        }

        return envelope;
    }

    private IEnumerable<XElement> PublishBatch(IReadOnlyDictionary<string, string> parameters, AwsCall call)
    {
        var topicArn = parameters.Required("TopicArn");
        var successful = new XElement("Successful");
        for (var i = 1; parameters.TryGetValue($"PublishBatchRequestEntries.member.{i}.Id", out var id); i++)
        {
            var prefix = $"PublishBatchRequestEntries.member.{i}";
            var messageId = Publish(topicArn, parameters.Required($"{prefix}.Message"), parameters.GetValueOrDefault($"{prefix}.Subject"),
                Attributes(parameters, $"{prefix}.MessageAttributes"), call.TraceHeader);
            successful.Add(new XElement("member", new XElement("Id", id), new XElement("MessageId", messageId)));
        }

        return [successful, new XElement("Failed")];
    }

    private IEnumerable<XElement> DeleteTopic(string topicArn)
    {
        lock (_lock)
        {
            _topics.Remove(topicArn);
        }

        return [];
    }

    private Subscription FindSubscription(string subscriptionArn) =>
        _topics.Values.SelectMany(t => t.Subscriptions).FirstOrDefault(s => s.Arn == subscriptionArn)
            ?? throw new AwsException("NotFound", "Subscription does not exist", 404);

    private IEnumerable<XElement> SetSubscriptionAttributes(IReadOnlyDictionary<string, string> parameters)
    {
        lock (_lock)
        {
            var subscription = FindSubscription(parameters.Required("SubscriptionArn"));
            if (parameters.Required("AttributeName") == "RawMessageDelivery")
            {
                subscription.Raw = parameters.GetValueOrDefault("AttributeValue") == "true";
            }
        }

        return [];
    }

    private IEnumerable<XElement> GetSubscriptionAttributes(string subscriptionArn)
    {
        lock (_lock)
        {
            var subscription = FindSubscription(subscriptionArn);
            var attributes = new Dictionary<string, string>
            {
                ["SubscriptionArn"] = subscription.Arn,
                ["TopicArn"] = subscription.Arn[..subscription.Arn.LastIndexOf(':')],
                ["Protocol"] = subscription.Protocol,
                ["Endpoint"] = subscription.Endpoint,
                ["Owner"] = _arns.AccountId,
                ["RawMessageDelivery"] = subscription.Raw ? "true" : "false",
                ["PendingConfirmation"] = "false",
            };
            return [new XElement("Attributes", attributes.Select(a => new XElement("entry", new XElement("key", a.Key), new XElement("value", a.Value))))];
        }
    }

    private IEnumerable<XElement> ListSubscriptions(string topicArn)
    {
        lock (_lock)
        {
            return [new XElement("Subscriptions", Find(topicArn).Subscriptions.Select(s => new XElement("member",
                new XElement("TopicArn", topicArn),
                new XElement("Protocol", s.Protocol),
                new XElement("SubscriptionArn", s.Arn),
                new XElement("Owner", _arns.AccountId),
                new XElement("Endpoint", s.Endpoint))))];
        }
    }

    private IEnumerable<XElement> Unsubscribe(string subscriptionArn)
    {
        lock (_lock)
        {
            foreach (var topic in _topics.Values)
            {
                topic.Subscriptions.RemoveAll(s => s.Arn == subscriptionArn);
            }
        }

        return [];
    }

    private sealed record Topic(string Arn)
    {
        public List<Subscription> Subscriptions { get; } = [];
    }

    private sealed record Subscription(string Arn, string Protocol, string Endpoint)
    {
        public bool Raw { get; set; }
    }
}
