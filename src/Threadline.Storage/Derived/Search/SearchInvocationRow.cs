using Threadline.Query.Fields;

namespace Threadline.Storage.Derived.Search;

/// <summary>
/// One invocation as search stores it (issue 16): its typed fields, the attributes of its spans and their resources,
/// the message ids it sent or received, and its free text (payloads and log lines). Derived from the stitcher's
/// invocation and the trace's spans; re-derived whole when more of the trace arrives.
/// </summary>
public sealed record SearchInvocationRow
{
    public required UInt128 TraceId { get; init; }
    /// <summary>The invocation's root span; with <see cref="TraceId"/> the invocation's id.</summary>
    public required ulong SpanId { get; init; }
    public required string Function { get; init; }
    /// <summary>The entry point: the route, queue, topic, bucket or schedule that started it (analysis' naming).</summary>
    public string? Entry { get; init; }
    public string? TriggerKind { get; init; }
    public string? TriggerResource { get; init; }
    public bool Failed { get; init; }
    public string? ErrorType { get; init; }
    public string? ErrorMessage { get; init; }
    public long StartTimeUnixNano { get; init; }
    public long DurationNanos { get; init; }
    public bool ColdStart { get; init; }
    public string? Version { get; init; }
    public string? User { get; init; }
    public bool Vip { get; init; }
    /// <summary>The Lambda request id (<c>faas.invocation_id</c>).</summary>
    public string? RequestId { get; init; }
    /// <summary>Span and resource attributes (payload attributes excluded), each distinct (scope, key, value) once.</summary>
    public IReadOnlyList<SearchAttributeRow> Attributes { get; init; } = [];
    /// <summary>Ids of the SQS, SNS and EventBridge messages the invocation sent or received.</summary>
    public IReadOnlyList<string> MessageIds { get; init; } = [];
    /// <summary>What free text searches: payloads (event, response, request and response bodies) and log lines.</summary>
    public IReadOnlyList<SearchTextRow> Texts { get; init; } = [];
}

/// <summary>One attribute value: exactly one of <see cref="Text"/>, <see cref="Number"/> (never NaN) and <see cref="Boolean"/> is set.</summary>
public readonly record struct SearchAttributeRow(AttributeScope Scope, string Key, string? Text, double? Number, bool? Boolean)
{
    public static SearchAttributeRow OfText(AttributeScope scope, string key, string text) => new(scope, key, text, null, null);

    public static SearchAttributeRow OfNumber(AttributeScope scope, string key, double number) =>
        double.IsNaN(number) ? throw new ArgumentException("NaN has no order; it is not stored", nameof(number)) : new(scope, key, null, number, null);

    public static SearchAttributeRow OfBoolean(AttributeScope scope, string key, bool value) => new(scope, key, null, null, value);
}

/// <summary>A searchable text and where it came from: <c>event</c>, <c>response</c>, <c>request</c>, <c>log</c>, ….</summary>
public sealed record SearchTextRow(string Source, string Text);
