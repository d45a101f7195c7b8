using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Threadline.Server.Tests;

/// <summary>The real OpenTelemetry .NET SDK exports to the server; the API returns what it sent, field for field.</summary>
public sealed class OpenTelemetrySdkTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task Spans_sent_by_the_sdk_come_back_field_for_field(OtlpExportProtocol protocol)
    {
        var sourceName = "threadline.tests." + protocol;
        using var source = new ActivitySource(sourceName, "1.2.3");
        var exported = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("checkout", serviceVersion: "7").AddAttributes([new("deployment.environment", "test")]))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = protocol == OtlpExportProtocol.Grpc ? fixture.OtlpGrpcEndpoint : fixture.OtlpHttpEndpoint("/v1/traces");
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
            using (var parent = source.StartActivity("POST /payments", ActivityKind.Server, default(ActivityContext),
                links: [new ActivityLink(linked, new ActivityTagsCollection { ["messaging.message.id"] = "m-1" })])!)
            {
                parent.SetTag("text", "hello");
                parent.SetTag("flag", true);
                parent.SetTag("count", 42L);
                parent.SetTag("ratio", 1.5);
                parent.SetTag("names", new[] { "a", "b" });
                parent.SetTag("bits", new[] { true, false });
                parent.SetTag("numbers", new long[] { 1, 2, 3 });
                parent.SetTag("ratios", new[] { 0.25, 2.5 });
                parent.AddEvent(new ActivityEvent("charged", tags: new ActivityTagsCollection { ["amount"] = 180L }));
                using (var email = source.StartActivity("send-email", ActivityKind.Client)!)
                {
                    email.SetStatus(ActivityStatusCode.Error, "Twilio 400 template not found");
                    email.AddException(new InvalidOperationException("template not found"));
                    exported.Add(email);
                }
                exported.Add(parent);
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var traceId = exported[0].TraceId.ToHexString();
        var trace = await fixture.GetTraceAsync(traceId);
        Assert.Equal(traceId, trace.GetProperty("traceId").GetString());
        var spans = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanId").GetString()!);
        Assert.Equal(2, spans.Count);

        foreach (var activity in exported)
        {
            var span = spans[activity.SpanId.ToHexString()];
            Assert.Equal(traceId, span.GetProperty("traceId").GetString());
            Assert.Equal(activity.DisplayName, span.GetProperty("name").GetString());
            Assert.Equal(activity.Kind.ToString().ToLowerInvariant(), span.GetProperty("kind").GetString());
            Assert.Equal("checkout", span.GetProperty("service").GetString());
            var startNanos = (activity.StartTimeUtc - DateTime.UnixEpoch).Ticks * 100;
            Assert.Equal(startNanos, span.GetProperty("startTimeUnixNano").GetInt64());
            Assert.Equal(startNanos + activity.Duration.Ticks * 100, span.GetProperty("endTimeUnixNano").GetInt64());
            var resource = span.GetProperty("resource");
            Assert.Equal("checkout", resource.GetProperty("service.name").GetString());
            Assert.Equal("7", resource.GetProperty("service.version").GetString());
            Assert.Equal("test", resource.GetProperty("deployment.environment").GetString());
            Assert.Equal(activity.Source.Name, span.GetProperty("scope").GetProperty("name").GetString());
            Assert.Equal("1.2.3", span.GetProperty("scope").GetProperty("version").GetString());
        }

        var root = spans[exported[1].SpanId.ToHexString()];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parentSpanId").ValueKind);
        Assert.Equal("unset", root.GetProperty("status").GetProperty("code").GetString());
        var attributes = root.GetProperty("attributes");
        Assert.Equal("hello", attributes.GetProperty("text").GetString());
        Assert.True(attributes.GetProperty("flag").GetBoolean());
        Assert.Equal(42, attributes.GetProperty("count").GetInt64());
        Assert.Equal(1.5, attributes.GetProperty("ratio").GetDouble());
        Assert.Equal(["a", "b"], attributes.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([true, false], attributes.GetProperty("bits").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal([1L, 2L, 3L], attributes.GetProperty("numbers").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0.25, 2.5], attributes.GetProperty("ratios").EnumerateArray().Select(e => e.GetDouble()));

        var charged = Assert.Single(root.GetProperty("events").EnumerateArray());
        Assert.Equal("charged", charged.GetProperty("name").GetString());
        Assert.Equal(180, charged.GetProperty("attributes").GetProperty("amount").GetInt64());
        Assert.Equal((exported[1].Events.Single().Timestamp.UtcDateTime - DateTime.UnixEpoch).Ticks * 100, charged.GetProperty("timeUnixNano").GetInt64());

        var link = Assert.Single(root.GetProperty("links").EnumerateArray());
        var sentLink = exported[1].Links.Single();
        Assert.Equal(sentLink.Context.TraceId.ToHexString(), link.GetProperty("traceId").GetString());
        Assert.Equal(sentLink.Context.SpanId.ToHexString(), link.GetProperty("spanId").GetString());
        Assert.Equal("m-1", link.GetProperty("attributes").GetProperty("messaging.message.id").GetString());

        var child = spans[exported[0].SpanId.ToHexString()];
        Assert.Equal(exported[1].SpanId.ToHexString(), child.GetProperty("parentSpanId").GetString());
        Assert.Equal("error", child.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal("Twilio 400 template not found", child.GetProperty("status").GetProperty("message").GetString());
        var exception = Assert.Single(child.GetProperty("events").EnumerateArray());
        Assert.Equal("exception", exception.GetProperty("name").GetString());
        Assert.Equal(typeof(InvalidOperationException).FullName, exception.GetProperty("attributes").GetProperty("exception.type").GetString());
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task Logs_sent_by_the_sdk_are_stored_with_their_trace(OtlpExportProtocol protocol)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("notify"));
            o.AddOtlpExporter((exporter, processor) =>
            {
                exporter.Protocol = protocol;
                exporter.Endpoint = protocol == OtlpExportProtocol.Grpc ? fixture.OtlpGrpcEndpoint : fixture.OtlpHttpEndpoint("/v1/logs");
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        })))
        {
            var logger = factory.CreateLogger("Notify.Handler");
            using var activity = new Activity("wrapper");
            activity.SetParentId(traceId, spanId, ActivityTraceFlags.Recorded);
            activity.Start();
            logger.LogWarning("Order {OrderId} waits for payment", "o-17");
            activity.Stop();
        }

        var response = await fixture.Api.GetAsync($"/api/traces/{traceId.ToHexString()}/logs", TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var log = Assert.Single(body.GetProperty("logs").EnumerateArray());
        Assert.Equal(traceId.ToHexString(), log.GetProperty("traceId").GetString());
        Assert.Equal("notify", log.GetProperty("service").GetString());
        Assert.Equal(13, log.GetProperty("severityNumber").GetInt32());
        Assert.Equal("o-17", log.GetProperty("attributes").GetProperty("OrderId").GetString());
        Assert.Contains("waits for payment", log.GetProperty("body").GetString());
    }
}
