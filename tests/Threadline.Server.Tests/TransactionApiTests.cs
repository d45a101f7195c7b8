using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Logs;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Trace;
using SpanKind = Threadline.Ingest.Protocol.Trace.Span.Types.SpanKind;

namespace Threadline.Server.Tests;

/// <summary>
/// Spans as the tracer records them (docs/correlation-attributes.md) for an API → process-payment → SQS →
/// notify flow, sent consumer first over OTLP/HTTP, come back from the API as one transaction.
/// </summary>
public sealed class TransactionApiTests : IAsyncLifetime
{
    private readonly ServerFixture _fixture = new();
    private readonly ByteString _producerTrace = OtlpRequests.RandomTraceId();
    private readonly ByteString _consumerTrace = OtlpRequests.RandomTraceId();
    private readonly ByteString _producerRoot = OtlpRequests.RandomSpanId();
    private readonly ByteString _consumerRoot = OtlpRequests.RandomSpanId();
    private readonly string _messageId = Guid.NewGuid().ToString();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ProducerId => $"{OtlpRequests.Hex(_producerTrace)}-{OtlpRequests.Hex(_producerRoot)}";

    private string ConsumerId => $"{OtlpRequests.Hex(_consumerTrace)}-{OtlpRequests.Hex(_consumerRoot)}";

    public async ValueTask InitializeAsync()
    {
        await _fixture.InitializeAsync();

        var consumer = OtlpRequests.Span(_consumerTrace, "notify", _consumerRoot);
        consumer.Kind = SpanKind.Consumer;
        consumer.StartTimeUnixNano += 2_000_000_000;
        consumer.EndTimeUnixNano += 2_000_000_000;
        consumer.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "template not found" };
        consumer.Attributes.Add(OtlpRequests.Attribute("faas.name", "notify"));
        consumer.Attributes.Add(OtlpRequests.Attribute("faas.invocation_id", "req-notify-1"));
        consumer.Attributes.Add(OtlpRequests.Attribute("threadline.trigger.kind", "sqs"));
        consumer.Attributes.Add(OtlpRequests.Attribute("threadline.trigger.resource", "payments-queue"));
        consumer.Attributes.Add(OtlpRequests.Attribute("threadline.trigger.keys", new[] { $"sqs:msg:{_messageId}" }));
        consumer.Attributes.Add(OtlpRequests.Attribute("threadline.event", "{\"Records\":[{\"messageId\":\"" + _messageId + "\"}]}"));
        await SendAsync(OtlpRequests.Request("notify", consumer));
        await SendLogAsync(_consumerTrace, _consumerRoot, "Twilio answered 400");

        var producer = OtlpRequests.Span(_producerTrace, "process-payment", _producerRoot);
        producer.Attributes.Add(OtlpRequests.Attribute("faas.name", "process-payment"));
        producer.Attributes.Add(OtlpRequests.Attribute("faas.invocation_id", "req-pay-1"));
        producer.Attributes.Add(OtlpRequests.Attribute("threadline.trigger.kind", "apigateway"));
        producer.Attributes.Add(OtlpRequests.Attribute("threadline.trigger.resource", "POST /payments"));
        var send = OtlpRequests.Span(_producerTrace, "SQS.SendMessage");
        send.ParentSpanId = _producerRoot;
        send.Kind = SpanKind.Producer;
        send.StartTimeUnixNano += 10_000_000;
        send.EndTimeUnixNano -= 10_000_000;
        send.Attributes.Add(OtlpRequests.Attribute("rpc.system", "aws-api"));
        send.Attributes.Add(OtlpRequests.Attribute("rpc.service", "SQS"));
        send.Attributes.Add(OtlpRequests.Attribute("rpc.method", "SendMessage"));
        send.Attributes.Add(OtlpRequests.Attribute("threadline.resource", "payments-queue"));
        send.Attributes.Add(OtlpRequests.Attribute("threadline.outbound.keys", new[] { $"sqs:msg:{_messageId}" }));
        await SendAsync(OtlpRequests.Request("process-payment", producer, send));
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    private async Task SendAsync(ExportTraceServiceRequest request)
    {
        var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        (await _fixture.OtlpHttp.PostAsync("/v1/traces", content, Ct)).EnsureSuccessStatusCode();
    }

    private async Task SendLogAsync(ByteString traceId, ByteString spanId, string body)
    {
        var request = new ExportLogsServiceRequest();
        var scope = new ScopeLogs();
        scope.LogRecords.Add(new LogRecord
        {
            TimeUnixNano = 1_790_000_002_100_000_000,
            TraceId = traceId,
            SpanId = spanId,
            SeverityNumber = SeverityNumber.Error,
            Body = new Threadline.Ingest.Protocol.Common.AnyValue { StringValue = body },
        });
        var resource = new ResourceLogs();
        resource.ScopeLogs.Add(scope);
        request.ResourceLogs.Add(resource);
        var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        (await _fixture.OtlpHttp.PostAsync("/v1/logs", content, Ct)).EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _fixture.Api.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task The_message_id_finds_one_transaction_entered_through_the_api()
    {
        var list = await GetAsync($"/api/transactions?messageId={_messageId}");

        var transaction = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal(ProducerId, transaction.GetProperty("id").GetString());
        Assert.Equal("apigateway", transaction.GetProperty("entry").GetProperty("kind").GetString());
        Assert.Equal("process-payment", transaction.GetProperty("entry").GetProperty("name").GetString());
        Assert.Equal("POST /payments", transaction.GetProperty("entry").GetProperty("resource").GetString());
        Assert.Equal("error", transaction.GetProperty("status").GetString());
        Assert.Equal(2, transaction.GetProperty("invocationCount").GetInt32());
        Assert.Equal(1, transaction.GetProperty("errorCount").GetInt32());
        Assert.Equal(2250.0, transaction.GetProperty("durationMs").GetDouble());
    }

    [Theory]
    [InlineData("requestId=req-notify-1")]
    [InlineData("requestId=req-pay-1")]
    [InlineData("entry=POST%20/payments")]
    [InlineData("status=error")]
    public async Task Other_filters_find_the_same_transaction(string query)
    {
        var list = await GetAsync($"/api/transactions?{query}");

        Assert.Contains(ProducerId, list.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_transaction_holds_both_invocations_the_async_hop_the_graph_and_the_spans()
    {
        var transaction = await GetAsync($"/api/transactions/{ProducerId}");

        var invocations = transaction.GetProperty("invocations").EnumerateArray().ToList();
        Assert.Equal([ProducerId, ConsumerId], invocations.Select(i => i.GetProperty("id").GetString()));
        var notify = invocations[1];
        Assert.Equal(("notify", "req-notify-1", "error"), (notify.GetProperty("function").GetString(), notify.GetProperty("requestId").GetString(), notify.GetProperty("status").GetString()));
        Assert.Equal(("sqs", "payments-queue"), (notify.GetProperty("trigger").GetProperty("kind").GetString(), notify.GetProperty("trigger").GetProperty("resource").GetString()));
        Assert.False(notify.GetProperty("retry").GetBoolean());

        var hop = Assert.Single(transaction.GetProperty("hops").EnumerateArray());
        Assert.Equal((ProducerId, ConsumerId, "async", "sqs", "payments-queue", "sqs.messageId"),
            (hop.GetProperty("from").GetString(), hop.GetProperty("to").GetString(), hop.GetProperty("kind").GetString(),
             hop.GetProperty("service").GetString(), hop.GetProperty("resource").GetString(), hop.GetProperty("via").GetString()));
        Assert.True(hop.GetProperty("stitchLagMs").GetDouble() >= 0);

        Assert.Equal(["apigateway:POST /payments", "function:notify", "function:process-payment", "sqs:payments-queue"],
            transaction.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(3, transaction.GetProperty("edges").GetArrayLength());
        Assert.Equal(["process-payment", "SQS.SendMessage", "notify"], transaction.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_invocation_shows_its_event_logs_and_where_it_came_from()
    {
        var invocation = await GetAsync($"/api/invocations/{ConsumerId}");

        Assert.Equal(ConsumerId, invocation.GetProperty("invocation").GetProperty("id").GetString());
        Assert.Equal([ProducerId], invocation.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(_messageId, invocation.GetProperty("event").GetProperty("Records")[0].GetProperty("messageId").GetString());
        Assert.Equal("Twilio answered 400", Assert.Single(invocation.GetProperty("logs").EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal(ProducerId, Assert.Single(invocation.GetProperty("incomingHops").EnumerateArray()).GetProperty("from").GetString());
        Assert.Empty(invocation.GetProperty("outgoingHops").EnumerateArray());

        var producer = await GetAsync($"/api/invocations/{ProducerId}");
        var call = Assert.Single(producer.GetProperty("outgoingCalls").EnumerateArray());
        Assert.Equal("SQS.SendMessage", call.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Stitching_reports_the_linked_hop_and_its_lag()
    {
        var stitching = await GetAsync("/api/stitching");

        Assert.Equal(1, stitching.GetProperty("linkedHops").GetInt64());
        Assert.InRange(stitching.GetProperty("lagP50Ms").GetDouble(), 0, stitching.GetProperty("lagMaxMs").GetDouble());
        Assert.InRange(stitching.GetProperty("lagP99Ms").GetDouble(), stitching.GetProperty("lagP50Ms").GetDouble(), stitching.GetProperty("lagMaxMs").GetDouble());
    }

    [Fact]
    public async Task Transactions_are_rebuilt_after_a_restart()
    {
        var before = (await GetAsync($"/api/transactions/{ProducerId}")).GetRawText();

        await _fixture.StopAsync();
        await _fixture.StartAsync();

        var after = JsonDocument.Parse((await GetAsync($"/api/transactions/{ProducerId}")).GetRawText()).RootElement;
        Assert.Equal(2, after.GetProperty("invocations").GetArrayLength());
        Assert.Equal(JsonDocument.Parse(before).RootElement.GetProperty("hops")[0].GetProperty("via").GetString(), after.GetProperty("hops")[0].GetProperty("via").GetString());
    }

    [Fact]
    public async Task A_restart_reads_the_transactions_from_the_store_and_derives_no_span_again()
    {
        var before = (await GetAsync($"/api/transactions/{ProducerId}")).GetRawText();

        await _fixture.StopAsync();
        await _fixture.StartAsync();

        var stitching = await StitchingDerivationAsync();
        Assert.Equal(0, stitching.GetProperty("spansDone").GetInt64());
        Assert.Equal(before, (await GetAsync($"/api/transactions/{ProducerId}")).GetRawText());
    }

    [Fact]
    public async Task A_folder_without_stitch_state_is_stitched_in_the_background_after_the_start()
    {
        await _fixture.StopAsync();
        // As a folder written before the stitch state was stored: spans, and no stitch rows nor watermark.
        using (var database = new DuckDB.NET.Data.DuckDBConnection(Threadline.Storage.DuckDb.DuckDbFileFormat.ConnectionString(Path.Combine(_fixture.DataDirectory, "threadline.duckdb"))))
        {
            database.Open();
            using var command = database.CreateCommand();
            command.CommandText = string.Join(';', new[] { "spans", "invocations", "keys", "hops", "memberships", "transactions", "watermark" }.Select(t => $"DELETE FROM stitch_{t}"));
            command.ExecuteNonQuery();
        }

        await _fixture.StartAsync();

        var stitching = await StitchingDerivationAsync();
        Assert.Equal(3, stitching.GetProperty("spansDone").GetInt64());
        var transaction = await GetAsync($"/api/transactions/{ProducerId}");
        Assert.Equal(2, transaction.GetProperty("invocations").GetArrayLength());
        Assert.Equal("sqs.messageId", transaction.GetProperty("hops")[0].GetProperty("via").GetString());
    }

    /// <summary>The stitching part of <c>/api/health</c>'s derivation once the start's background derivation is done.</summary>
    private async Task<JsonElement> StitchingDerivationAsync()
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var health = await GetAsync("/api/health");
            var stitching = health.GetProperty("derivation").GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("part").GetString() == "stitching");
            if (stitching.GetProperty("state").GetString() is "done" or "failed" || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal("done", stitching.GetProperty("state").GetString());
                return stitching.Clone();
            }
            await Task.Delay(50, Ct);
        }
    }

    [Theory]
    [InlineData("/api/transactions?status=bogus", "status must be 'ok' or 'error'")]
    [InlineData("/api/transactions?limit=0", "limit must be between 1 and 1000")]
    [InlineData("/api/transactions?from=yesterday", "from must be Unix nanoseconds or an ISO 8601 time")]
    [InlineData("/api/transactions?traceId=xyz", "traceId must be 32 hexadecimal characters")]
    [InlineData("/api/transactions/not-an-id", "not a transaction id")]
    [InlineData("/api/invocations/not-an-id", "not an invocation id")]
    public async Task Bad_parameters_are_400_with_the_reason(string path, string reason)
    {
        var response = await _fixture.Api.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        var unknown = $"{new string('a', 32)}-{new string('b', 16)}";
        Assert.Equal(HttpStatusCode.NotFound, (await _fixture.Api.GetAsync($"/api/transactions/{unknown}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _fixture.Api.GetAsync($"/api/invocations/{unknown}", Ct)).StatusCode);
    }
}
