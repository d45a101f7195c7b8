using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Threadline.Ingest.Receive;
using Threadline.Server;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 9, overload with a real sender: several OpenTelemetry .NET SDK exporters outrun a slow store behind a small
/// queued-bytes bound, are refused with 503 + Retry-After (gRPC: UNAVAILABLE), retry, and in the end every span is stored.
/// </summary>
public sealed class SdkRetryTests
{
    private const int Exporters = 8;
    private const int SpansPerExporter = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task The_sdk_retries_refused_exports_until_every_span_is_stored(OtlpExportProtocol protocol)
    {
        // The .NET exporter 1.20 retries transient failures (429/502/503/504, honouring Retry-After) only when told to:
        // without this variable the refused batches are dropped (this test fails).
        Environment.SetEnvironmentVariable("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions { DataDirectory = data, MaxQueuedBytes = 48 * 1024 });
        server.Store.WriteDelay = TimeSpan.FromMilliseconds(100);
        var budget = server.Service<QueuedBytesBudget>();

        var sent = new ConcurrentBag<(string TraceId, string SpanId)>();
        var exporters = Enumerable.Range(0, Exporters).Select(n => Task.Run(() => Export(n, protocol, protocol == OtlpExportProtocol.Grpc ? server.OtlpGrpcBase : new Uri(server.OtlpHttpBase, "/v1/traces"), sent), Ct)).ToArray();
        await Task.WhenAll(exporters);

        Assert.True(budget.RejectedRequests > 0, "the store was never outrun, so nothing was retried");
        var expected = sent.GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.Select(s => s.SpanId).ToHashSet());
        Assert.Equal(Exporters * SpansPerExporter, expected.Values.Sum(v => v.Count));
        foreach (var (traceId, spanIds) in expected)
        {
            var trace = await server.Api.GetAsync($"/api/traces/{traceId}", Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, trace.StatusCode);
            using var json = System.Text.Json.JsonDocument.Parse(await trace.Content.ReadAsStringAsync(Ct));
            var stored = json.RootElement.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("spanId").GetString()!).ToHashSet();
            Assert.Subset(stored, spanIds);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{budget.RejectedRequests} exports refused and retried");
    }

    private static void Export(int exporter, OtlpExportProtocol protocol, Uri endpoint, ConcurrentBag<(string, string)> sent)
    {
        var sourceName = "threadline.reliability.retry." + exporter;
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("retry-" + exporter))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = endpoint;
                o.TimeoutMilliseconds = 30_000;
                o.BatchExportProcessorOptions = new BatchExportProcessorOptions<Activity>
                {
                    MaxExportBatchSize = 50,
                    MaxQueueSize = SpansPerExporter * 2,
                    ScheduledDelayMilliseconds = 50,
                };
            })
            .Build())
        {
            for (var i = 0; i < SpansPerExporter; i++)
            {
                using var activity = source.StartActivity("work " + i)!;
                activity.SetTag("payload", new string('x', 400));
                sent.Add((activity.TraceId.ToHexString(), activity.SpanId.ToHexString()));
            }
            Assert.True(provider.ForceFlush(60_000));
        }
    }
}
