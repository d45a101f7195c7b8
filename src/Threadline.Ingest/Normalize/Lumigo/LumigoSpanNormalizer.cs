using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Threadline.Telemetry;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Ingest.Normalize.Lumigo;

/// <summary>
/// Turns a Lumigo span bulk into spans with the attributes our own tracer records (docs/correlation-attributes.md), so
/// that stitching, analysis and the UI treat a Lumigo-traced function like any other. A function span becomes the
/// invocation span; its <c>&lt;requestId&gt;_started</c> forerunner becomes a child of it (so an invocation whose end
/// never arrives still shows, and one whose end arrives is counted once); http spans become outgoing call spans; other
/// span types (databases) become plain client spans. The function's environment (<c>envs</c>) is scrubbed with our
/// tracer's rules.
/// </summary>
public static class LumigoSpanNormalizer
{
    private static readonly Scrubber Scrubber = new(new ScrubRules(useDefaults: true, [], []));

    /// <summary>Normalizes every span of the bulk; a span that cannot be read is left out and said why in <paramref name="problems"/>.</summary>
    public static List<SpanRecord> Normalize(JsonElement bulk, List<string> problems)
    {
        var spans = new List<SpanRecord>();
        var resources = new Dictionary<string, ResourceRecord>(StringComparer.Ordinal);
        var index = -1;
        foreach (var span in bulk.EnumerateArray())
        {
            index++;
            if (span.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"span {index}: not a JSON object");
                continue;
            }
            var id = LumigoJson.String(span, "id");
            var type = LumigoJson.String(span, "type");
            var started = LumigoJson.Long(span, "started");
            if (id is null || type is null || started is null)
            {
                problems.Add($"span {index}: missing {(id is null ? "id" : type is null ? "type" : "started")}");
                continue;
            }
            if (type == "enrichment")
                continue; // Execution tags and dropped-span counts of the tracer itself: nothing to show.
            spans.Add(Normalize(span, id, type, started.Value, resources));
        }
        return spans;
    }

    private static SpanRecord Normalize(JsonElement span, string id, string type, long startedMs, Dictionary<string, ResourceRecord> resources)
    {
        var transactionId = LumigoJson.String(span, "transactionId");
        var traceId = LumigoIds.TraceId(LumigoJson.String(LumigoJson.Path(span, "info", "traceId", "Root")), transactionId, id);
        var start = LumigoIds.UnixMsToNanos(startedMs);
        var end = LumigoIds.UnixMsToNanos(LumigoJson.Long(span, "ended") ?? startedMs);
        var resource = Resource(span, resources);
        var scope = Scope(span);
        var function = resource.Service;

        if (type == "function" && id.EndsWith(LumigoIds.StartedSuffix, StringComparison.Ordinal))
        {
            var requestId = id[..^LumigoIds.StartedSuffix.Length];
            var trigger = LumigoTrigger.Read(span, null);
            var attributes = new List<KeyValue> { new("faas.name", NormalizationLimits.Text(function)), new("lumigo.started", true) };
            AddTrigger(attributes, trigger);
            return new SpanRecord
            {
                TraceId = traceId,
                SpanId = LumigoIds.SpanId(id),
                ParentSpanId = LumigoIds.SpanId(requestId),
                Name = $"{function} started",
                Kind = SpanKind.Internal,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start,
                Attributes = attributes,
                Resource = resource,
                Scope = scope,
            };
        }
        if (type == "function")
            return Invocation(span, id, traceId, start, Math.Max(start, end), startedMs, resource, scope);

        var parentId = LumigoJson.String(span, "parentId");
        if (type == "http")
        {
            var (name, kind, status, attributes) = LumigoHttpCall.Read(span, Scrubber);
            return new SpanRecord
            {
                TraceId = traceId,
                SpanId = LumigoIds.SpanId(id),
                ParentSpanId = parentId is null ? 0 : LumigoIds.SpanId(parentId),
                Name = NormalizationLimits.Text(name),
                Kind = kind,
                StartTimeUnixNano = start,
                EndTimeUnixNano = Math.Max(start, end),
                StatusCode = status,
                Attributes = attributes,
                Events = ErrorEvents(span, out var message),
                StatusMessage = message,
                Resource = resource,
                Scope = scope,
            };
        }
        return new SpanRecord
        {
            TraceId = traceId,
            SpanId = LumigoIds.SpanId(id),
            ParentSpanId = parentId is null ? 0 : LumigoIds.SpanId(parentId),
            Name = NormalizationLimits.Text(type),
            Kind = SpanKind.Client,
            StartTimeUnixNano = start,
            EndTimeUnixNano = Math.Max(start, end),
            StatusCode = LumigoJson.Child(span, "error") is null ? StatusCode.Unset : StatusCode.Error,
            Events = ErrorEvents(span, out var error),
            StatusMessage = error,
            Attributes = [new("db.system", NormalizationLimits.Text(type))],
            Resource = resource,
            Scope = scope,
        };
    }

    private static SpanRecord Invocation(JsonElement span, string requestId, UInt128 traceId, long start, long end, long startedMs,
        ResourceRecord resource, ScopeRecord scope)
    {
        var eventJson = LumigoJson.Payload(LumigoJson.Child(span, "event"));
        var trigger = LumigoTrigger.Read(span, eventJson);
        var attributes = new List<KeyValue>
        {
            new("faas.name", resource.Service),
            new("faas.invocation_id", NormalizationLimits.Text(requestId)),
            new("faas.trigger", trigger.FaasTrigger),
        };
        Add(attributes, "faas.version", LumigoJson.String(span, "version"));
        Add(attributes, "cloud.resource_id", LumigoJson.String(span, "invokedArn"));
        Add(attributes, "cloud.region", LumigoJson.String(span, "region"));
        if (LumigoJson.Long(span, "memoryAllocated") is { } mb and > 0 and < 1_000_000)
            attributes.Add(new("faas.max_memory", mb * 1024 * 1024));
        if (LumigoJson.String(span, "readiness") is { } readiness)
            attributes.Add(new("faas.coldstart", readiness == "cold"));
        if (LumigoJson.Long(span, "maxFinishTime") is { } deadline && deadline >= startedMs)
            attributes.Add(new("faas.timeout_remaining_ms", deadline - startedMs));
        AddTrigger(attributes, trigger);
        Add(attributes, "threadline.event", eventJson);
        Add(attributes, "threadline.response", LumigoJson.Payload(LumigoJson.Child(span, "return_value")));
        Add(attributes, "threadline.environment", Environment(LumigoJson.Child(span, "envs"), out var environmentCut));
        if (environmentCut)
            attributes.Add(new("threadline.truncated", new List<object?> { "threadline.environment" }));
        Add(attributes, "lumigo.transaction_id", LumigoJson.String(span, "transactionId"));
        var events = ErrorEvents(span, out var message);
        return new SpanRecord
        {
            TraceId = traceId,
            SpanId = LumigoIds.SpanId(requestId),
            Name = resource.Service,
            Kind = trigger.FaasTrigger == "http" ? SpanKind.Server : SpanKind.Consumer,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            StatusCode = LumigoJson.Child(span, "error") is null ? StatusCode.Unset : StatusCode.Error,
            StatusMessage = message,
            Attributes = attributes,
            Events = events,
            Resource = resource,
            Scope = scope,
        };
    }

    private static void AddTrigger(List<KeyValue> attributes, LumigoTrigger trigger)
    {
        Add(attributes, "threadline.trigger.kind", trigger.Kind);
        Add(attributes, "threadline.trigger.resource", trigger.Resource);
        if (trigger.Keys.Count > 0)
            attributes.Add(new("threadline.trigger.keys", trigger.Keys.Take(NormalizationLimits.MaxArrayItems).Select(k => (object?)NormalizationLimits.Text(k)).ToList()));
    }

    /// <summary>
    /// The environment as our tracer records it: a JSON object, sensitive names and values masked. The tracer cuts the
    /// serialised environment at its entry size limit (2 KB by default), so a cut object is read as far as it goes.
    /// </summary>
    private static string? Environment(JsonElement? envs, out bool truncated)
    {
        truncated = false;
        if (LumigoJson.Object(envs) is { } variables)
            return Scrubber.ScrubEnvironment(variables.EnumerateObject()
                .Select(p => new KeyValuePair<string, string>(p.Name, LumigoJson.Payload(p.Value) ?? "")));
        if (envs is not { ValueKind: JsonValueKind.String } text || text.GetString() is not { } cut)
            return null;
        truncated = true;
        return Scrubber.ScrubEnvironment(ReadCutObject(cut));
    }

    /// <summary>The complete name/value pairs at the top of a JSON object that was cut off.</summary>
    private static List<KeyValuePair<string, string>> ReadCutObject(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), isFinalBlock: false, state: default);
        string? name = null;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1)
                    continue;
                if (reader.TokenType == JsonTokenType.PropertyName)
                    name = reader.GetString();
                else if (name is not null && reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
                {
                    pairs.Add(new(NormalizationLimits.Text(name), NormalizationLimits.Text(reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan))));
                    name = null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all, or malformed after the pairs read so far.
        }
        return pairs;
    }

    /// <summary><c>error</c> (<c>type</c>, <c>message</c>, <c>stacktrace</c>) as OpenTelemetry's exception event.</summary>
    private static IReadOnlyList<SpanEvent> ErrorEvents(JsonElement span, out string? message)
    {
        message = null;
        if (LumigoJson.Child(span, "error") is not { } error)
            return [];
        if (error.ValueKind != JsonValueKind.Object)
        {
            message = NormalizationLimits.Text(LumigoJson.Payload(error) ?? "error");
            return [new SpanEvent("exception", 0, [new("exception.message", message)])];
        }
        var type = LumigoJson.String(error, "type");
        message = LumigoJson.String(error, "message") is { } m ? NormalizationLimits.Text(m) : type;
        var attributes = new List<KeyValue>();
        Add(attributes, "exception.type", type);
        Add(attributes, "exception.message", message);
        Add(attributes, "exception.stacktrace", LumigoJson.String(error, "stacktrace") ?? LumigoJson.String(error, "stack"));
        var time = LumigoIds.UnixMsToNanos(LumigoJson.Long(span, "ended") ?? LumigoJson.Long(span, "started") ?? 0);
        return [new SpanEvent("exception", time, attributes)];
    }

    private static ResourceRecord Resource(JsonElement span, Dictionary<string, ResourceRecord> cache)
    {
        var arn = LumigoJson.String(span, "invokedArn");
        var name = NormalizationLimits.Text((LumigoJson.String(span, "type") == "function" ? LumigoJson.String(span, "name") : null)
            ?? FunctionOfArn(arn) ?? LumigoJson.String(span, "name") ?? ResourceScopeFactory.UnknownService);
        var attributes = new List<KeyValue>
        {
            new("service.name", name),
            new("cloud.provider", "aws"),
            new("cloud.platform", "aws_lambda"),
            new("faas.name", name),
        };
        Add(attributes, "faas.version", LumigoJson.String(span, "version"));
        Add(attributes, "cloud.region", LumigoJson.String(span, "region"));
        Add(attributes, "cloud.account.id", LumigoJson.String(span, "account"));
        if (LumigoJson.Long(span, "memoryAllocated") is { } mb and > 0 and < 1_000_000)
            attributes.Add(new("faas.max_memory", mb * 1024 * 1024));
        Add(attributes, "faas.instance", LumigoJson.String(LumigoJson.Path(span, "info", "logStreamName")));
        Add(attributes, "process.runtime.description", LumigoJson.String(span, "runtime"));
        Add(attributes, "telemetry.sdk.name", LumigoJson.String(LumigoJson.Path(span, "info", "tracer", "name")) ?? "lumigo");
        Add(attributes, "telemetry.sdk.version", LumigoJson.String(LumigoJson.Path(span, "info", "tracer", "version")));
        var content = string.Join('\n', attributes.Select(a => $"{a.Key}={a.Value}"));
        if (cache.TryGetValue(content, out var known))
            return known;
        var resource = new ResourceRecord(ContentId("lumigo-resource\n" + content), name, attributes, null);
        cache[content] = resource;
        return resource;
    }

    private static ScopeRecord Scope(JsonElement span)
    {
        var name = LumigoJson.String(LumigoJson.Path(span, "info", "tracer", "name")) ?? "lumigo";
        var version = LumigoJson.String(LumigoJson.Path(span, "info", "tracer", "version"));
        return new ScopeRecord(ContentId($"lumigo-scope\n{name}\n{version}"), NormalizationLimits.Text(name),
            version is null ? null : NormalizationLimits.Text(version), []);
    }

    private static string? FunctionOfArn(string? arn)
    {
        const string marker = ":function:";
        var at = arn?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
            return null;
        var name = arn![(at + marker.Length)..];
        var qualifier = name.IndexOf(':');
        return qualifier >= 0 ? name[..qualifier] : name.Length > 0 ? name : null;
    }

    private static ulong ContentId(string content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(content), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static void Add(List<KeyValue> attributes, string key, string? value)
    {
        if (value is not null)
            attributes.Add(new(key, NormalizationLimits.Text(value)));
    }
}
