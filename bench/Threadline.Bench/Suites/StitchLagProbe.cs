using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Bench.Workload;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Bench.Suites;

/// <summary>
/// Measures stitch lag under load: every few hundred ms, one SQS hop is sent as two requests (the producer
/// invocation, then the consumer invocation); the lag runs from sending the second side until the API lists
/// the producer's transaction with both invocations.
/// </summary>
internal sealed class StitchLagProbe(Uri otlpHttp, Uri api)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Random _random = new(99);

    public List<double> LagsMs { get; } = [];

    public int TimedOut { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        using var otlp = new HttpClient { BaseAddress = otlpHttp };
        using var http = new HttpClient { BaseAddress = api };
        while (!stop.IsCancellationRequested)
        {
            var round = Stopwatch.StartNew();
            var (producer, consumer, transactionId, messageId) = Hop();
            await SendAsync(otlp, producer).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await SendAsync(otlp, consumer).ConfigureAwait(false);
            var linked = false;
            while (clock.Elapsed < Deadline)
            {
                if (await LinkedAsync(http, messageId, transactionId).ConfigureAwait(false))
                {
                    linked = true;
                    break;
                }
                await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
            }
            if (linked)
                LagsMs.Add(clock.Elapsed.TotalMilliseconds);
            else
                TimedOut++;
            var rest = Interval - round.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(rest, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static async Task SendAsync(HttpClient otlp, byte[] body)
    {
        while (true)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await otlp.PostAsync("/v1/traces", content).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return;
            if ((int)response.StatusCode != 503)
                throw new InvalidOperationException($"The stitch probe's request was refused: {(int)response.StatusCode}");
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static async Task<bool> LinkedAsync(HttpClient http, string messageId, string transactionId)
    {
        using var response = await http.GetAsync($"/api/transactions?messageId={messageId}").ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            return false;
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var item in json.RootElement.GetProperty("transactions").EnumerateArray())
        {
            if (item.GetProperty("id").GetString() == transactionId && item.GetProperty("invocationCount").GetInt32() >= 2)
                return true;
        }
        return false;
    }

    private (byte[] Producer, byte[] Consumer, string TransactionId, string MessageId) Hop()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var producerTrace = TraceId();
        var producerRoot = SpanId();
        var sendSpan = SpanId();
        var messageId = Guid.NewGuid().ToString();

        var entry = NewSpan(producerTrace, producerRoot, 0, "probe-api", Span.Types.SpanKind.Server, now, 30);
        entry.Attributes.Add(Otlp.Str("faas.invocation_id", Guid.NewGuid().ToString()));
        entry.Attributes.Add(Otlp.Str("faas.name", "probe-api"));
        entry.Attributes.Add(Otlp.Str("threadline.trigger.kind", "apigateway"));
        entry.Attributes.Add(Otlp.Strs("threadline.trigger.keys", "apigw:req:" + Guid.NewGuid()));
        var send = NewSpan(producerTrace, sendSpan, producerRoot, "SQS.SendMessage", Span.Types.SpanKind.Producer, now + 5_000_000, 10);
        send.Attributes.Add(Otlp.Str("rpc.system", "aws-api"));
        send.Attributes.Add(Otlp.Str("rpc.service", "SQS"));
        send.Attributes.Add(Otlp.Str("rpc.method", "SendMessage"));
        send.Attributes.Add(Otlp.Str("threadline.resource", "probe-queue"));
        send.Attributes.Add(Otlp.Strs("threadline.outbound.keys", "sqs:msg:" + messageId));

        var consumer = NewSpan(TraceId(), SpanId(), 0, "probe-worker", Span.Types.SpanKind.Consumer, now + 20_000_000, 20);
        consumer.Attributes.Add(Otlp.Str("faas.invocation_id", Guid.NewGuid().ToString()));
        consumer.Attributes.Add(Otlp.Str("faas.name", "probe-worker"));
        consumer.Attributes.Add(Otlp.Str("threadline.trigger.kind", "sqs"));
        consumer.Attributes.Add(Otlp.Str("threadline.trigger.resource", "probe-queue"));
        consumer.Attributes.Add(Otlp.Strs("threadline.trigger.keys", "sqs:msg:" + messageId));

        return (Request("probe-api", entry, send), Request("probe-worker", consumer), $"{producerTrace:x32}-{producerRoot:x16}", messageId);
    }

    private static byte[] Request(string service, params Span[] spans)
    {
        var resource = new Resource();
        resource.Attributes.Add(Otlp.Str("service.name", service));
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "probe" } };
        scopeSpans.Spans.AddRange(spans);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scopeSpans } });
        return request.ToByteArray();
    }

    private static Span NewSpan(UInt128 trace, ulong id, ulong parent, string name, Span.Types.SpanKind kind, long start, int durationMs)
    {
        var span = new Span
        {
            TraceId = Otlp.TraceId(trace), SpanId = Otlp.SpanId(id), Name = name, Kind = kind,
            StartTimeUnixNano = (ulong)start, EndTimeUnixNano = (ulong)(start + durationMs * 1_000_000L),
        };
        if (parent != 0)
            span.ParentSpanId = Otlp.SpanId(parent);
        return span;
    }

    private UInt128 TraceId() => new((ulong)_random.NextInt64(1, long.MaxValue), (ulong)_random.NextInt64(1, long.MaxValue));

    private ulong SpanId() => (ulong)_random.NextInt64(1, long.MaxValue);
}
