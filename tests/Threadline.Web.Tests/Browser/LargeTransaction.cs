using System.Globalization;
using System.Text.Json;

namespace Threadline.Web.Tests.Browser;

/// <summary>One invocation of "bulk-import" with 10,000 child spans, one millisecond apart, sent as OTLP/JSON.</summary>
public static class LargeTransaction
{
    public const string Function = "bulk-import";
    public const int ChildSpans = 10_000;
    public const string TraceId = "7e57a11b2c3d4e5f60718293a4b5c6d7";
    public const string RootSpanId = "00000000000f0000";

    public static string TransactionId => $"{TraceId}-{RootSpanId}";

    public static string ChildSpanId(int index) => (0x100000 + index).ToString("x16", CultureInfo.InvariantCulture);

    public static string TraceJson(long startUnixNano)
    {
        var spans = new List<object>(ChildSpans + 1)
        {
            Span(RootSpanId, null, Function, 2, startUnixNano, startUnixNano + (ChildSpans + 1) * 1_000_000L,
                [Attribute("faas.name", Function), Attribute("faas.invocation_id", "req-bulk-import-1"), Attribute("faas.trigger", "other")]),
        };
        for (var i = 0; i < ChildSpans; i++)
        {
            var start = startUnixNano + (i + 1) * 1_000_000L;
            spans.Add(Span(ChildSpanId(i), RootSpanId, $"row {i}", 1, start, start + 500_000, []));
        }
        return JsonSerializer.Serialize(new
        {
            resourceSpans = new[]
            {
                new
                {
                    resource = new { attributes = new[] { Attribute("service.name", Function), Attribute("cloud.provider", "aws") } },
                    scopeSpans = new[] { new { scope = new { name = "threadline-web-tests" }, spans } },
                },
            },
        });
    }

    private static object Span(string spanId, string? parent, string name, int kind, long start, long end, object[] attributes) => new
    {
        traceId = TraceId,
        spanId,
        parentSpanId = parent ?? "",
        name,
        kind,
        startTimeUnixNano = start.ToString(CultureInfo.InvariantCulture),
        endTimeUnixNano = end.ToString(CultureInfo.InvariantCulture),
        attributes,
    };

    private static object Attribute(string key, string value) => new { key, value = new { stringValue = value } };
}
