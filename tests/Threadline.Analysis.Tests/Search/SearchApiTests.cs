using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DuckDB.NET.Data;
using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Logs;
using Threadline.Storage.DuckDb;

namespace Threadline.Analysis.Tests.Search;

/// <summary>Search through HTTP on a real server fed OTLP spans and logs (issue 16): every kind of term, free text over
/// payloads and log lines, paging, transactions, facets, histogram, autocomplete, bad queries, and the index derived
/// again at start when it is behind the spans.</summary>
public sealed class SearchApiTests
{
    private static readonly Fn SendEmail = new("send-email", "7");
    private static readonly Fn Checkout = new("checkout", "2");
    private static readonly Fn Worker = new("order-worker", "2");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Range => $"from={Nanos(AnalysisServer.T0.AddHours(-1))}&to={Nanos(AnalysisServer.T0.AddHours(1))}";

    private static long Nanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static async Task<(Inv Failed, Inv Sender, Inv Consumer, Inv Plain)> SendScenarioAsync(AnalysisServer server)
    {
        var failed = SendEmail.Invoke(AnalysisServer.T0.AddMinutes(-10), 900).Http("POST /receipts").User("alice@example.com").Cold()
            .Attr("threadline.event", """{"kind":"payment-receipt","order":"o-1"}""")
            .Throws("TimeoutError", "SMTP timed out after 3s")
            .Calls("POST", "https://smtp.example.com/send", 302);
        var sender = Checkout.Invoke(AnalysisServer.T0.AddMinutes(-5), 120).Http("POST /orders").User("bob").SendsTo("orders", "m-42");
        var consumer = Worker.Invoke(AnalysisServer.T0.AddMinutes(-4), 80).FromQueue("orders", "m-42");
        var plain = Checkout.Invoke(AnalysisServer.T0.AddMinutes(-3), 40).Http("POST /orders").Calls("GET", "https://stock.example.com/items/1", 200);
        await server.SendAsync(failed, sender, consumer, plain);
        await SendLogAsync(server, consumer, "reserved stock for order o-77 in warehouse B");
        await WaitForIndexAsync(server);
        return (failed, sender, consumer, plain);
    }

    /// <summary>The index follows the acknowledged writes a moment behind; an answer says <c>partial</c> until it is there.</summary>
    private static async Task WaitForIndexAsync(AnalysisServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.GetAsync($"/api/search?limit=1&{Range}")).GetProperty("partial").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, "the search index did not derive the acknowledged writes within 30 s");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task SendLogAsync(AnalysisServer server, Inv invocation, string body)
    {
        var request = new ExportLogsServiceRequest();
        var scope = new ScopeLogs();
        scope.LogRecords.Add(new LogRecord
        {
            TimeUnixNano = (ulong)invocation.StartNanos + 1_000_000,
            TraceId = invocation.TraceId,
            SpanId = invocation.SpanId,
            SeverityNumber = SeverityNumber.Info,
            Body = new Threadline.Ingest.Protocol.Common.AnyValue { StringValue = body },
        });
        var resource = new ResourceLogs();
        resource.ScopeLogs.Add(scope);
        request.ResourceLogs.Add(resource);
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await server.Otlp.PostAsync("/v1/logs", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<string>> IdsAsync(AnalysisServer server, string query) =>
        [.. (await server.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}&{Range}")).GetProperty("invocations").EnumerateArray().Select(h => h.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Every_kind_of_term_finds_its_invocations_once_the_index_has_derived_the_acknowledged_spans()
    {
        await using var server = await AnalysisServer.StartAsync();
        var (failed, sender, consumer, plain) = await SendScenarioAsync(server);

        Assert.Equal([failed.Id], await IdsAsync(server, "function:send-email status:error duration>500ms \"payment-receipt\""));
        foreach (var term in new[] { "error:TimeoutError", "message:*\"timed out\"*", "cold:true", "version:7", "user:alice@example.com", "vip:false function:send*" })
            Assert.True((await IdsAsync(server, term)).SequenceEqual([failed.Id]),
                $"{term}: {string.Join(", ", await IdsAsync(server, term))}; the row: {(await server.GetAsync($"/api/search?q=function:send-email&{Range}")).GetProperty("invocations")[0]}");
        Assert.Equal([failed.Id], await IdsAsync(server, "attr.http.response.status_code>=300"));
        Assert.Equal([plain.Id, failed.Id], await IdsAsync(server, "attr.http.response.status_code:*"));
        Assert.Equal([plain.Id, sender.Id], await IdsAsync(server, "entry:\"POST /orders\""));
        Assert.Equal([consumer.Id, sender.Id], await IdsAsync(server, "messageid:m-42"));
        Assert.Equal([consumer.Id], await IdsAsync(server, "trigger:sqs"));
        Assert.Equal([consumer.Id], await IdsAsync(server, "warehouse"));
        Assert.Equal([plain.Id, consumer.Id, sender.Id], await IdsAsync(server, "NOT function:send-email"));
        Assert.Equal([sender.Id], await IdsAsync(server, $"trace:{Inv.Hex(sender.TraceId)}"));
        Assert.Equal([failed.Id], await IdsAsync(server, "resource.service.name:send*"));
        Assert.Equal([plain.Id, consumer.Id, sender.Id, failed.Id], await IdsAsync(server, ""));

        var hit = (await server.GetAsync($"/api/search?q={Uri.EscapeDataString("payment-receipt user:alice*")}&{Range}")).GetProperty("invocations")[0];
        Assert.Equal("send-email", hit.GetProperty("function").GetString());
        Assert.Equal("error", hit.GetProperty("status").GetString());
        Assert.Equal(failed.StartNanos, hit.GetProperty("startTimeUnixNano").GetInt64());
        Assert.Equal(900, hit.GetProperty("durationMs").GetDouble());
        Assert.Equal([failed.Id], hit.GetProperty("transactionIds").EnumerateArray().Select(t => t.GetString()));
        var match = Assert.Single(hit.GetProperty("matches").EnumerateArray());
        Assert.Equal("event", match.GetProperty("source").GetString());
        Assert.Contains("payment-receipt", match.GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_and_transactions_group_the_matches()
    {
        await using var server = await AnalysisServer.StartAsync();
        var (failed, sender, consumer, plain) = await SendScenarioAsync(server);

        var first = await server.GetAsync($"/api/search?limit=3&{Range}");
        Assert.Equal(4, first.GetProperty("total").GetInt64());
        Assert.Equal([plain.Id, consumer.Id, sender.Id], first.GetProperty("invocations").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await server.GetAsync($"/api/search?limit=3&cursor={Uri.EscapeDataString(cursor)}&{Range}");
        Assert.Equal([failed.Id], second.GetProperty("invocations").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var grouped = await server.GetAsync($"/api/search?q=messageid:m-42&as=transactions&{Range}");
        var transaction = Assert.Single(grouped.GetProperty("transactions").EnumerateArray());
        Assert.Equal(sender.Id, transaction.GetProperty("id").GetString());
        Assert.Equal(2, transaction.GetProperty("invocationCount").GetInt32());
        Assert.Equal([consumer.Id, sender.Id], transaction.GetProperty("matchedInvocationIds").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task Facets_histogram_fields_values_and_completion_describe_the_matches()
    {
        await using var server = await AnalysisServer.StartAsync();
        await SendScenarioAsync(server);

        var facets = (await server.GetAsync($"/api/search/facets?q=version:2&field=trigger&{Range}")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("values").EnumerateArray()
                .Select(v => (v.GetProperty("value").GetString(), v.GetProperty("count").GetInt64(), v.GetProperty("term").GetString())).ToList());
        Assert.Equal([("checkout", 2, "function:checkout"), ("order-worker", 1, "function:order-worker")], facets["function"]);
        Assert.Equal([("ok", 3, "status:ok")], facets["status"]);
        Assert.Empty(facets["error"]);
        Assert.Equal([("apigateway", 2, "trigger:apigateway"), ("sqs", 1, "trigger:sqs")], facets["trigger"]);

        var histogram = await server.GetAsync($"/api/search/histogram?q=function:checkout&{Range}");
        var counts = histogram.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()).ToList();
        Assert.Equal(60, counts.Count);
        Assert.Equal(2, counts.Sum());
        // Two-minute buckets from an hour before T0: 5 and 3 minutes before T0 fall in the 28th and the 29th.
        Assert.Equal(1, counts[27]);
        Assert.Equal(1, counts[28]);

        var fields = (await server.GetAsync("/api/search/fields?prefix=attr.http")).EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("attr.http.response.status_code", fields);
        Assert.Contains("attr.http.request.method", fields);

        var values = (await server.GetAsync($"/api/search/values?field=function&prefix=ch&{Range}")).EnumerateArray()
            .Select(v => (v.GetProperty("value").GetString(), v.GetProperty("count").GetInt64()));
        Assert.Equal([("checkout", 2L)], values);
        var statusCodes = (await server.GetAsync($"/api/search/values?field=attr.http.response.status_code&{Range}")).EnumerateArray()
            .Select(v => (v.GetProperty("value").GetString(), v.GetProperty("kind").GetString())).ToHashSet();
        Assert.Equal([("302", "number"), ("200", "number")], statusCodes);

        var completion = await server.GetAsync($"/api/search/complete?q={Uri.EscapeDataString("status:error funct")}&{Range}");
        Assert.Equal("field", completion.GetProperty("kind").GetString());
        Assert.Equal("status:error function:", completion.GetProperty("suggestions")[0].GetProperty("text").GetString());
        var valueCompletion = await server.GetAsync($"/api/search/complete?q={Uri.EscapeDataString("entry:\"POST")}&{Range}");
        Assert.Equal(["entry:\"POST /orders\"", "entry:\"POST /receipts\""],
            valueCompletion.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("function:send-email AND", 24, "expected a term after AND")]
    [InlineData("duration>fast", 10, "duration takes a duration such as 500ms")]
    [InlineData("(status:error", 14, "expected ')' to close the '(' at position 1")]
    public async Task A_malformed_query_is_a_400_naming_the_position_and_what_was_expected(string query, int position, string expected)
    {
        await using var server = await AnalysisServer.StartAsync();
        foreach (var path in new[] { "/api/search", "/api/search/facets", "/api/search/histogram" })
        {
            using var response = await server.Api.GetAsync($"{path}?q={Uri.EscapeDataString(query)}", Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal(position, body.GetProperty("position").GetInt32());
            Assert.Equal(expected, body.GetProperty("expected").GetString());
            Assert.StartsWith($"position {position}: {expected}", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        using var badLimit = await server.Api.GetAsync("/api/search?limit=0&as=graph&cursor=x", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        var error = JsonDocument.Parse(await badLimit.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString()!;
        Assert.Contains("limit must be", error, StringComparison.Ordinal);
        Assert.Contains("as must be", error, StringComparison.Ordinal);
        Assert.Contains("cursor must be", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_behind_the_spans_is_derived_again_in_the_background_at_start()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        var server = await AnalysisServer.StartAsync(dataDirectory: folder);
        var failed = (await SendScenarioAsync(server)).Failed;
        server.Api.Dispose();
        server.Otlp.Dispose();
        await server.Server.DisposeAsync();
        // As if the process died after the spans' commit and before the index's: no rows, watermark 0.
        using (var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(folder, DuckDbStoreOptions.FileName))))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM search_invocations; DELETE FROM search_attributes; DELETE FROM search_texts; DELETE FROM search_message_ids; DELETE FROM search_watermark;";
            command.ExecuteNonQuery();
        }
        await using var restarted = await AnalysisServer.StartAsync(dataDirectory: folder);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> found;
        while ((found = await IdsAsync(restarted, "status:error")).Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.Equal([failed.Id], found);
        Assert.Equal(4, (await restarted.GetAsync($"/api/search?{Range}")).GetProperty("total").GetInt64());
    }
}
