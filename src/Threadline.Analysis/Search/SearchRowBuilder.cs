using Threadline.Analysis.Configuration;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Query.Fields;
using Threadline.Stitching;
using Threadline.Storage.Derived.Search;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Derives the search rows of one trace's invocations: the stitcher's invocation, read by analysis (entry point,
/// failure, version, user and VIP through the configured value rules), the attributes of its spans and their
/// resources, its message ids, and its payloads and log lines as free text.
/// </summary>
public sealed class SearchRowBuilder(SpanDetailsReader details, InvocationAnalyzer analyzer, AnalysisOptions options)
{
    /// <summary>Payload attributes: searched as free text, not stored as attributes. Headers and the stitching plumbing are neither.</summary>
    private static readonly Dictionary<string, string?> Payloads = new(StringComparer.Ordinal)
    {
        ["threadline.event"] = "event",
        ["threadline.response"] = "response",
        ["threadline.request"] = "request",
        ["threadline.request.headers"] = null,
        ["threadline.response.headers"] = null,
        // The tracer's stitching plumbing: correlation keys and record times, unique per message and the widest values
        // an invocation carries. Their ids are searchable as messageid: and request:, the trigger as trigger: and entry:.
        ["threadline.trigger.keys"] = null,
        ["threadline.outbound.keys"] = null,
        ["threadline.trigger.times"] = null,
        ["threadline.record.keys"] = null,
        ["threadline.dynamodb.pairs"] = null,
        ["threadline.link.via"] = null,
    };

    private static readonly string[] MessageKeyForms = [CorrelationKeys.SqsMessage, CorrelationKeys.SnsMessage, CorrelationKeys.EventBridgeEvent];

    /// <summary>Log lines are those of the invocation's spans within this margin of them (clocks may differ a little).</summary>
    public static readonly long LogMarginNanos = (long)TimeSpan.FromSeconds(5).TotalNanoseconds;

    /// <summary>
    /// The rows of the given invocations of one trace, from the trace's stored spans and logs. Each row depends only on
    /// its invocation, the invocation's spans and their logs, so an invocation none of whose spans or logs changed keeps
    /// its row.
    /// </summary>
    public IReadOnlyList<SearchInvocationRow> Build(IEnumerable<Invocation> invocations, IReadOnlyDictionary<ulong, SpanRecord> traceSpans, IReadOnlyList<LogRecord> traceLogs)
    {
        ILookup<ulong, LogRecord>? logsBySpan = null;
        var rows = new List<SearchInvocationRow>();
        foreach (var invocation in invocations)
        {
            logsBySpan ??= traceLogs.Where(l => l.SpanId != 0).ToLookup(l => l.SpanId);
            rows.Add(Build(invocation, traceSpans, logsBySpan));
        }
        return rows;
    }

    private SearchInvocationRow Build(Invocation invocation, IReadOnlyDictionary<ulong, SpanRecord> spans, ILookup<ulong, LogRecord> logs)
    {
        var own = invocation.SpanIds.Append(invocation.SpanId).Distinct().Select(id => spans.GetValueOrDefault(id)).OfType<SpanRecord>().ToList();
        var analyzed = analyzer.Analyze(invocation, own.ToDictionary(s => s.SpanId, details.Read));
        var attributes = new HashSet<SearchAttributeRow>();
        var texts = new List<SearchTextRow>();
        foreach (var span in own)
        {
            foreach (var attribute in span.Attributes)
            {
                if (Payloads.TryGetValue(attribute.Key, out var source))
                {
                    if (source is not null && attribute.Value is string payload && payload.Length > 0)
                        texts.Add(new SearchTextRow(source, payload));
                    continue;
                }
                AddValues(attributes, AttributeScope.Span, attribute.Key, attribute.Value);
            }
            foreach (var attribute in span.Resource.Attributes)
                AddValues(attributes, AttributeScope.Resource, attribute.Key, attribute.Value);
        }
        if (own.Count > 0)
        {
            var from = own.Min(s => s.StartTimeUnixNano) - LogMarginNanos;
            var to = own.Max(s => s.EndTimeUnixNano) + LogMarginNanos;
            foreach (var log in own.SelectMany(s => logs[s.SpanId]).Where(l => l.TimeUnixNano >= from && l.TimeUnixNano < to).OrderBy(l => l.TimeUnixNano))
            {
                if (LogText(log.Body) is { Length: > 0 } line)
                    texts.Add(new SearchTextRow("log", line));
            }
        }
        var messageIds = invocation.Inbound.Select(k => k.Key).Concat(invocation.Outbound.Select(k => k.Key))
            .SelectMany(key => MessageKeyForms.Where(form => key.StartsWith(form, StringComparison.Ordinal)).Select(form => key[form.Length..]))
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new SearchInvocationRow
        {
            TraceId = invocation.TraceId,
            SpanId = invocation.SpanId,
            Function = invocation.Function,
            Entry = EntryPoint.Of(analyzed).Name,
            TriggerKind = invocation.Trigger.Kind,
            TriggerResource = invocation.Trigger.Resource,
            Failed = analyzed.Failed || invocation.Status == StatusCode.Error,
            ErrorType = analyzed.Failure?.ErrorType,
            ErrorMessage = analyzed.Failure?.Message ?? invocation.Error,
            StartTimeUnixNano = invocation.StartTimeUnixNano,
            DurationNanos = Math.Max(0, invocation.EndTimeUnixNano - invocation.StartTimeUnixNano),
            ColdStart = invocation.ColdStart,
            Version = analyzed.Version,
            User = analyzed.User,
            Vip = analyzed.VipMarker || (analyzed.User is { } user && options.VipUsers.Contains(user)),
            RequestId = invocation.RequestId,
            Attributes = [.. attributes],
            MessageIds = messageIds,
            Texts = texts,
        };
    }

    /// <summary>Strings, numbers and booleans; each element of an array; NaN, bytes and nested maps are not searchable.</summary>
    private static void AddValues(HashSet<SearchAttributeRow> into, AttributeScope scope, string key, object? value)
    {
        switch (value)
        {
            case string text:
                into.Add(SearchAttributeRow.OfText(scope, key, text));
                break;
            case bool flag:
                into.Add(SearchAttributeRow.OfBoolean(scope, key, flag));
                break;
            case long number:
                into.Add(SearchAttributeRow.OfNumber(scope, key, number));
                break;
            case double number when !double.IsNaN(number):
                into.Add(SearchAttributeRow.OfNumber(scope, key, number));
                break;
            case IReadOnlyList<object?> array:
                foreach (var element in array)
                    AddValues(into, scope, key, element);
                break;
        }
    }

    private static string? LogText(object? body) => body switch
    {
        null => null,
        string text => text,
        bool or long or double => Convert.ToString(body, System.Globalization.CultureInfo.InvariantCulture),
        _ => Threadline.Storage.Encoding.TelemetryJson.WriteValue(body),
    };
}
