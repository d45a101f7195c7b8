using System.Globalization;
using System.Text.Json;

namespace Threadline.Web.Tests.Browser;

/// <summary>An invocation of a function "markup-probe" whose event and log carry a &lt;script&gt; element.</summary>
public static class ScriptProbe
{
    public const string Function = "markup-probe";
    public const string RequestId = "req-markup-probe-1";
    public const string TraceId = "5c1a0b7e2d3f4a5b6c7d8e9f0a1b2c3d";
    public const string SpanId = "1a2b3c4d5e6f7081";
    public const string Script = "<script>window.__threadlineInjected = true;</script>";

    public static string TransactionId => $"{TraceId}-{SpanId}";

    public static string TraceJson(long startUnixNano) => TraceJson(startUnixNano, Function, TraceId, SpanId, RequestId);

    /// <summary>The same invocation shape for another function, trace and span (hex ids).</summary>
    public static string TraceJson(long startUnixNano, string function, string traceId, string spanId, string requestId)
    {
        var trace = new
        {
            resourceSpans = new[]
            {
                new
                {
                    resource = new { attributes = new[] { Attribute("service.name", function), Attribute("cloud.provider", "aws") } },
                    scopeSpans = new[]
                    {
                        new
                        {
                            scope = new { name = "threadline-web-tests" },
                            spans = new[]
                            {
                                new
                                {
                                    traceId,
                                    spanId,
                                    name = function,
                                    kind = 2,
                                    startTimeUnixNano = startUnixNano.ToString(CultureInfo.InvariantCulture),
                                    endTimeUnixNano = (startUnixNano + 25_000_000).ToString(CultureInfo.InvariantCulture),
                                    attributes = new[]
                                    {
                                        Attribute("faas.name", function),
                                        Attribute("faas.invocation_id", requestId),
                                        Attribute("faas.trigger", "http"),
                                        Attribute("threadline.event", JsonSerializer.Serialize(new { body = Script })),
                                        Attribute("threadline.response", Script),
                                    },
                                    status = new { code = 1 },
                                },
                            },
                        },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(trace);
    }

    private static object Attribute(string key, string value) => new { key, value = new { stringValue = value } };
}
