using System.Globalization;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>An outgoing call of an invocation with what was sent and what came back.</summary>
public sealed record CallModel(string SpanId, string Name, string Kind, double DurationMs, bool Failed, string? Error, string? Request, string? Response,
    IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public string DurationText => Format.Duration(DurationMs);
}

/// <summary>A log line of an invocation.</summary>
public sealed record LogLine(DateTimeOffset Time, string Severity, string Text);

/// <summary>A hop into or out of the invocation, with the invocation at its other end.</summary>
public sealed record HopLine(string Direction, string Kind, string Service, string? Resource, string Other);

/// <summary>
/// The deep dive of one invocation: what it received (event), returned, the error with its stack, its logs and
/// every outgoing call with request and response payloads, duration, cold start and memory.
/// </summary>
public sealed record DeepDive(
    Invocation Invocation,
    string? Event,
    string? Response,
    string? Error,
    string? Stack,
    string? Memory,
    IReadOnlyList<CallModel> Calls,
    IReadOnlyList<LogLine> Logs,
    IReadOnlyList<HopLine> Hops)
{
    public string Id => Invocation.Id.ToString();
    public string DurationText => Format.Duration(Invocation.DurationMs);

    public static DeepDive Of(Invocation invocation, IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, IReadOnlyList<Hop> incoming, IReadOnlyList<Hop> outgoing)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(outgoing);
        var root = spans.FirstOrDefault(s => s.SpanId == invocation.SpanId);
        var exception = root?.Events.FirstOrDefault(e => e.Name == "exception");
        var memory = Attribute(root, "faas.max_memory") is { } bytes && long.TryParse(bytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b)
            ? $"{b / (1024 * 1024)} MB" : null;
        var calls = spans.Where(s => s.Kind is SpanKind.Client or SpanKind.Producer).OrderBy(s => s.StartTimeUnixNano).Select(Call).ToList();
        var hops = incoming.Select(h => Hop("in", h, h.From)).Concat(outgoing.Select(h => Hop("out", h, h.To))).ToList();
        return new DeepDive(invocation,
            Payload.Text(Attribute(root, "threadline.event")),
            Payload.Text(Attribute(root, "threadline.response")),
            invocation.Error ?? Value(exception, "exception.message") ?? root?.StatusMessage,
            Value(exception, "exception.stacktrace"),
            memory,
            calls,
            [.. logs.Select(l => new LogLine(Format.Time(l.TimeUnixNano), l.SeverityText ?? "", Payload.Text(l.Body) ?? ""))],
            hops);
    }

    private static CallModel Call(SpanRecord span)
    {
        var failed = span.StatusCode == StatusCode.Error;
        var payloadKeys = new HashSet<string>(StringComparer.Ordinal) { "threadline.request", "threadline.response" };
        return new CallModel(TelemetryIds.FormatSpanId(span.SpanId), span.Name, span.Kind.ToString(), (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1e6,
            failed, failed ? span.StatusMessage ?? Value(span.Events.FirstOrDefault(e => e.Name == "exception"), "exception.message") ?? "error" : null,
            Payload.Text(Attribute(span, "threadline.request")), Payload.Text(Attribute(span, "threadline.response")),
            [.. span.Attributes.Where(a => !payloadKeys.Contains(a.Key)).Select(a => new KeyValuePair<string, string>(a.Key, Payload.Text(a.Value) ?? ""))]);
    }

    private static HopLine Hop(string direction, Hop hop, InvocationId other) =>
        new(direction, hop.Kind == HopKind.Sync ? "sync" : "async", hop.Service, hop.Resource, other.ToString());

    private static string? Attribute(SpanRecord? span, string key) =>
        span?.Attributes.FirstOrDefault(a => a.Key == key).Value switch
        {
            null => null,
            string text => text,
            var value => Payload.Text(value),
        };

    private static string? Value(SpanEvent? spanEvent, string key) =>
        spanEvent?.Attributes.FirstOrDefault(a => a.Key == key).Value?.ToString();
}
