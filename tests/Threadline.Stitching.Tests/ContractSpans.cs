using System.Security.Cryptography;
using System.Text;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// Builds spans with exactly the attributes of <c>docs/correlation-attributes.md</c>: one <see cref="Fn"/> per
/// invocation, with its outgoing calls. Time advances one millisecond per call, so building in causal order gives
/// causally ordered timestamps. Labels (request ids, or names for non-Lambda services) name invocations in assertions.
/// </summary>
internal sealed class ContractSpans
{
    private static readonly ScopeRecord Scope = new(1, "threadline", "1.0.0", []);
    private readonly List<Fn> _invocations = [];
    private readonly Dictionary<string, ResourceRecord> _resources = [];
    private ulong _nextId = 0x1000;
    private long _clock = 1_795_000_000_000_000_000;

    public Dictionary<InvocationId, string> Labels { get; } = [];

    public long Now => _clock;

    public long Tick(long milliseconds = 1) => _clock += milliseconds * 1_000_000;

    /// <summary>New traces get X-Ray trace ids (<c>Root=1-&lt;8 hex epoch second&gt;-&lt;24 hex&gt;</c>), as with the X-Ray propagator.</summary>
    public bool XRayTraceIds { get; set; }

    public UInt128 NewTraceId() => XRayTraceIds
        ? ((UInt128)(ulong)(_clock / 1_000_000_000) << 96) | ++_nextId
        : new(0x5eed_0000_0000_0000 + ++_nextId, ++_nextId);

    public ulong NewSpanId() => ++_nextId;

    /// <summary>A Lambda invocation span: <c>SERVER</c> for HTTP triggers, <c>CONSUMER</c> otherwise.</summary>
    public Fn Lambda(
        string requestId,
        string function,
        string triggerKind,
        string? resource = null,
        IReadOnlyList<string>? keys = null,
        IReadOnlyList<long>? times = null,
        bool retry = false,
        bool coldStart = false,
        (UInt128 TraceId, ulong SpanId)? parent = null,
        IReadOnlyList<SpanLink>? links = null,
        string? label = null)
    {
        var attributes = new List<KeyValue>
        {
            new("faas.name", function),
            new("faas.version", "$LATEST"),
            new("faas.invocation_id", requestId),
            new("cloud.resource_id", $"arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            new("faas.max_memory", 134_217_728L),
            new("faas.coldstart", coldStart),
            new("faas.trigger", triggerKind switch
            {
                "apigateway" or "apigatewayv2" or "function-url" => "http",
                "sqs" or "sns" or "eventbridge" or "kinesis" => "pubsub",
                "dynamodb" or "s3" => "datasource",
                "schedule" => "timer",
                _ => "other",
            }),
            new("threadline.trigger.kind", triggerKind),
            new("threadline.trigger.retry", retry),
        };
        if (resource is not null)
            attributes.Add(new("threadline.trigger.resource", resource));
        if (keys is not null)
            attributes.Add(new("threadline.trigger.keys", keys.Cast<object?>().ToList()));
        if (times is not null)
            attributes.Add(new("threadline.trigger.times", times.Cast<object?>().ToList()));
        var kind = triggerKind is "apigateway" or "apigatewayv2" or "function-url" ? SpanKind.Server : SpanKind.Consumer;
        return Add(new Fn(this, label ?? requestId, function, function, kind, attributes, parent, links ?? []));
    }

    /// <summary>A span of a service that is not a Lambda function (a container, a script): a local root, or a
    /// SERVER / CONSUMER span under another service's span.</summary>
    public Fn Service(string label, string service, SpanKind kind = SpanKind.Server, (UInt128 TraceId, ulong SpanId)? parent = null,
        IReadOnlyList<SpanLink>? links = null, IReadOnlyList<KeyValue>? attributes = null) =>
        Add(new Fn(this, label, service, $"{service} root", kind, [.. attributes ?? []], parent, links ?? []));

    /// <summary>Every span built so far, with invocation spans closed after their last child.</summary>
    public List<SpanRecord> Spans() => [.. _invocations.SelectMany(f => f.Build())];

    /// <summary>The hashed pair of one DynamoDB attribute, as the contract defines it.</summary>
    public static string Pair(string name, string type, string value)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}:{value}"));
        return $"{name}={Convert.ToHexStringLower(hash)[..16]}";
    }

    /// <summary>The consumer-side key of a stream record with these key pairs.</summary>
    public static string ItemKey(string table, params string[] keyPairs) =>
        $"{CorrelationKeys.DynamoDbItem}{table}/{string.Join('&', keyPairs.Order(StringComparer.Ordinal))}";

    internal ResourceRecord Resource(string service)
    {
        if (!_resources.TryGetValue(service, out var resource))
        {
            _resources[service] = resource = new ResourceRecord((ulong)_resources.Count + 1, service,
                [new("service.name", service), new("cloud.provider", "aws")], null);
        }
        return resource;
    }

    private Fn Add(Fn fn)
    {
        _invocations.Add(fn);
        Labels[fn.Id] = fn.Label;
        return fn;
    }

    internal sealed class Fn
    {
        private readonly ContractSpans _owner;
        private readonly string _service;
        private readonly string _name;
        private readonly SpanKind _kind;
        private readonly List<KeyValue> _attributes;
        private readonly IReadOnlyList<SpanLink> _links;
        private readonly long _start;
        private readonly List<SpanRecord> _children = [];
        private readonly ulong _parentSpanId;
        private StatusCode _status;
        private string? _error;

        public Fn(ContractSpans owner, string label, string service, string name, SpanKind kind, List<KeyValue> attributes,
            (UInt128 TraceId, ulong SpanId)? parent, IReadOnlyList<SpanLink> links)
        {
            _owner = owner;
            Label = label;
            _service = service;
            _name = name;
            _kind = kind;
            _attributes = attributes;
            _links = links;
            TraceId = parent?.TraceId ?? owner.NewTraceId();
            _parentSpanId = parent?.SpanId ?? 0;
            SpanId = owner.NewSpanId();
            _start = owner.Tick();
        }

        public string Label { get; }
        public UInt128 TraceId { get; }
        public ulong SpanId { get; }
        public InvocationId Id => new(TraceId, SpanId);
        public IReadOnlyList<SpanRecord> Children => _children;

        public Fn Fail(string message)
        {
            (_status, _error) = (StatusCode.Error, message);
            return this;
        }

        public Fn SendMessage(string queue, params string[] messageIds) =>
            Aws("SQS", messageIds.Length == 1 ? "SendMessage" : "SendMessageBatch", queue,
                [.. messageIds.Select(id => CorrelationKeys.SqsMessage + id)]);

        public Fn Publish(string topic, params string[] messageIds) =>
            Aws("SNS", messageIds.Length == 1 ? "Publish" : "PublishBatch", topic, [.. messageIds.Select(id => CorrelationKeys.SnsMessage + id)]);

        public Fn PutEvents(string bus, params string[] eventIds) =>
            Aws("EventBridge", "PutEvents", bus, [.. eventIds.Select(id => CorrelationKeys.EventBridgeEvent + id)]);

        /// <summary>PutRecord (one record) or PutRecords; records are (shard id, sequence number).</summary>
        public Fn PutRecords(string stream, params (string Shard, string Sequence)[] records) =>
            Aws("Kinesis", records.Length == 1 ? "PutRecord" : "PutRecords", stream,
                [.. records.Select(r => $"{CorrelationKeys.KinesisRecord}{stream}/{r.Shard}/{r.Sequence}")]);

        public Fn PutObject(string bucket, string key, string etag, string requestId) =>
            Aws("S3", "PutObject", bucket, [CorrelationKeys.S3Request + requestId, $"{CorrelationKeys.S3Object}{bucket}/{key}/{etag}"], requestId);

        /// <summary>Lambda Invoke: <paramref name="async"/> is InvocationType=Event (answered 202).</summary>
        public Fn Invoke(string function, string requestId, bool async) =>
            Aws("Lambda", "Invoke", function, [CorrelationKeys.LambdaRequest + requestId], requestId,
                [new("http.response.status_code", async ? 202L : 200L)]);

        /// <summary>A DynamoDB write: per item, the hashed pairs of its top-level scalar attributes.</summary>
        public Fn WriteItems(string method, params (string Table, string[] Pairs)[] items)
        {
            var tables = items.Select(i => i.Table).Distinct().ToList();
            return Aws("DynamoDB", method, tables.Count == 1 ? tables[0] : null, [], null,
            [
                new("threadline.dynamodb.pairs", items.Select(i => (object?)string.Join('&', i.Pairs.Order(StringComparer.Ordinal))).ToList()),
                new("threadline.dynamodb.tables", items.Select(i => (object?)i.Table).ToList()),
            ]);
        }

        /// <summary>An HTTP client call; <paramref name="apiGatewayRequestId"/> is the response's <c>x-amzn-RequestId</c>.</summary>
        public (UInt128 TraceId, ulong SpanId) HttpCall(string host, string? apiGatewayRequestId = null)
        {
            List<KeyValue> attributes =
            [
                new("http.request.method", "POST"),
                new("url.full", $"https://{host}/orders"),
                new("server.address", host),
                new("url.path", "/orders"),
                new("http.response.status_code", 200L),
            ];
            if (apiGatewayRequestId is not null)
                attributes.Add(new("threadline.outbound.keys", new List<object?> { CorrelationKeys.ApiGatewayRequest + apiGatewayRequestId }));
            return Child("POST", SpanKind.Client, attributes);
        }

        /// <summary>An outgoing AWS SDK call span (PRODUCER for a send, publish or put; CLIENT otherwise).</summary>
        public Fn Aws(string service, string method, string? resource, IReadOnlyList<string> outboundKeys, string? requestId = null,
            IReadOnlyList<KeyValue>? extra = null)
        {
            _ = AwsCall(service, method, resource, outboundKeys, requestId, extra);
            return this;
        }

        public (UInt128 TraceId, ulong SpanId) AwsCall(string service, string method, string? resource, IReadOnlyList<string> outboundKeys,
            string? requestId = null, IReadOnlyList<KeyValue>? extra = null)
        {
            List<KeyValue> attributes =
            [
                new("rpc.system", "aws-api"),
                new("rpc.service", service),
                new("rpc.method", method),
                new("aws.request_id", requestId ?? $"aws-{_owner.NewSpanId():x}"),
            ];
            if (resource is not null)
                attributes.Add(new("threadline.resource", resource));
            if (outboundKeys.Count > 0)
                attributes.Add(new("threadline.outbound.keys", outboundKeys.Cast<object?>().ToList()));
            attributes.AddRange(extra ?? []);
            var sends = method.StartsWith("Send", StringComparison.Ordinal) || method.StartsWith("Publish", StringComparison.Ordinal)
                || (method.StartsWith("Put", StringComparison.Ordinal) && service is "EventBridge" or "Kinesis");
            var kind = sends ? SpanKind.Producer : SpanKind.Client;
            return Child($"{service}.{method}", kind, attributes);
        }

        /// <summary>Any child span of this invocation.</summary>
        public (UInt128 TraceId, ulong SpanId) Child(string name, SpanKind kind, IReadOnlyList<KeyValue> attributes, IReadOnlyList<SpanLink>? links = null)
        {
            var start = _owner.Tick();
            var span = new SpanRecord
            {
                TraceId = TraceId,
                SpanId = _owner.NewSpanId(),
                ParentSpanId = SpanId,
                Name = name,
                Kind = kind,
                StartTimeUnixNano = start,
                EndTimeUnixNano = _owner.Tick(),
                Attributes = attributes,
                Links = links ?? [],
                Resource = _owner.Resource(_service),
                Scope = Scope,
            };
            _children.Add(span);
            return (span.TraceId, span.SpanId);
        }

        public IEnumerable<SpanRecord> Build()
        {
            var end = _children.Count == 0 ? _start + 500_000 : _children.Max(c => c.EndTimeUnixNano) + 500_000;
            yield return new SpanRecord
            {
                TraceId = TraceId,
                SpanId = SpanId,
                ParentSpanId = _parentSpanId,
                Name = _name,
                Kind = _kind,
                StartTimeUnixNano = _start,
                EndTimeUnixNano = end,
                StatusCode = _status,
                StatusMessage = _error,
                Attributes = _attributes,
                Links = _links,
                Resource = _owner.Resource(_service),
                Scope = Scope,
            };
            foreach (var child in _children)
                yield return child;
        }
    }
}
