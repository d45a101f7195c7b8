using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Server;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Stitching;

namespace Threadline.Reliability.Tests;

/// <summary>Retention deletes the stitch state of the spans it deletes (in the store, not only in memory).</summary>
public sealed class StitchRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_transactions_of_deleted_spans_leave_the_api_and_the_stitch_store()
    {
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions
        {
            DataDirectory = data,
            Retention = TimeSpan.FromHours(1),
            RetentionInterval = TimeSpan.FromMilliseconds(200),
        });
        var random = new Random(13);
        var (oldRequest, _) = OtlpBatches.Create(random, "stitch-retention", 3, 10);
        foreach (var span in oldRequest.ResourceSpans[0].ScopeSpans[0].Spans)
        {
            span.StartTimeUnixNano -= (ulong)TimeSpan.FromHours(2).TotalNanoseconds;
            span.EndTimeUnixNano -= (ulong)TimeSpan.FromHours(2).TotalNanoseconds;
        }
        var (newRequest, _) = OtlpBatches.Create(random, "stitch-retention", 3, 10);
        using var http = new HttpClient();
        foreach (var request in new[] { oldRequest, newRequest })
        {
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri(server.OtlpHttpBase, "/v1/traces"), content, Ct)).StatusCode);
        }
        var oldTrace = oldRequest.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId;
        var newTrace = newRequest.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId;

        await Poll.UntilAsync(async () => await TransactionCountAsync(server, oldTrace) == 0, TimeSpan.FromSeconds(30),
            () => "the transactions of the two-hour-old trace are still listed with a one-hour retention");

        Assert.Equal(3, await TransactionCountAsync(server, newTrace));
        await using var store = DuckDbStitchStore.Open(new DuckDbStoreOptions { DataDirectory = server.DataDirectory });
        Assert.Empty(store.LoadSpans([TraceId(oldTrace)]));
        Assert.Empty(store.LoadInvocationsOfTraces([TraceId(oldTrace)]));
        Assert.Equal(3, store.LoadInvocationsOfTraces([TraceId(newTrace)]).Count);
    }

    private static async Task<int> TransactionCountAsync(InProcessServer server, ByteString traceId)
    {
        var list = await server.Api.GetFromJsonAsync<JsonElement>($"/api/transactions?traceId={Convert.ToHexString(traceId.Span).ToLowerInvariant()}", Ct);
        return list.EnumerateObject().Single(p => p.Value.ValueKind == JsonValueKind.Array).Value.GetArrayLength();
    }

    private static UInt128 TraceId(ByteString traceId) =>
        UInt128.Parse(Convert.ToHexString(traceId.Span), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
