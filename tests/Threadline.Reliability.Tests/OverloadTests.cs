using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Threadline.Ingest.Receive;
using Threadline.Server;
using RpcStatus = Threadline.Ingest.Protocol.Rpc.Status;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 9, overload: with the store held still, requests beyond <c>--max-queued-bytes</c> are refused at once with
/// 503 + Retry-After (gRPC UNAVAILABLE + retry-after) instead of being queued, and the ones taken are stored when the
/// store moves again.
/// </summary>
public sealed class OverloadTests
{
    private const int Requests = 24;
    private const long Budget = 200_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Beyond_the_queued_bytes_bound_senders_get_503_with_retry_after_and_nothing_more_is_queued()
    {
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions { DataDirectory = data, MaxQueuedBytes = Budget });
        var budget = server.Service<QueuedBytesBudget>();
        server.Store.Close();

        var random = new Random(9);
        var batches = Enumerable.Range(0, Requests).Select(_ => OtlpBatches.Create(random, "overload", 10, 2_000)).ToList();
        Assert.All(batches, b => Assert.Equal(batches[0].Request.CalculateSize(), b.Request.CalculateSize()));

        using var http = new HttpClient();
        // What one request holds (its body's buffer) while it waits for the store.
        var sends = new List<Task<(HttpStatusCode Status, string? RetryAfter, RpcStatus Body)>> { PostAsync(http, server.OtlpHttpBase, batches[0].Request) };
        await Poll.UntilAsync(() => server.Store.WritesWaiting == 1, TimeSpan.FromSeconds(30), () => "the first request did not reach the store");
        var size = budget.UsedBytes;
        var fits = (int)(Budget / size);
        Assert.InRange(fits, 2, Requests / 2);
        sends.AddRange(batches.Skip(1).Select(b => PostAsync(http, server.OtlpHttpBase, b.Request)));
        // Every request has either been refused or is held in the budget, waiting for the store.
        await Poll.UntilAsync(() => budget.RejectedRequests + budget.UsedBytes / size == Requests, TimeSpan.FromSeconds(30),
            () => $"{budget.RejectedRequests} refused and {budget.UsedBytes} bytes held of {Requests} requests of {size} bytes");

        Assert.True(budget.UsedBytes <= Budget, $"{budget.UsedBytes} bytes held, over the bound of {Budget}");
        Assert.Equal(Requests - fits, budget.RejectedRequests);
        // The refused ones are answered at once, while the store still holds the others.
        await Poll.UntilAsync(() => sends.Count(s => s.IsCompleted) == Requests - fits, TimeSpan.FromSeconds(30),
            () => $"{sends.Count(s => s.IsCompleted)} answered while the store is held; expected {Requests - fits}");
        var refused = sends.Where(s => s.IsCompleted).Select(s => s.Result).ToList();
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
            Assert.Equal("1", response.RetryAfter);
            Assert.Equal(14, response.Body.Code);
            Assert.Contains("busy", response.Body.Message, StringComparison.Ordinal);
        }

        // gRPC is refused the same way while the budget is spent.
        using (var channel = GrpcChannel.ForAddress(server.OtlpGrpcBase))
        {
            var call = channel.CreateCallInvoker().AsyncUnaryCall(RawGrpc.ExportTraces, null, new CallOptions(cancellationToken: Ct), batches[0].Request.ToByteArray());
            var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, exception.StatusCode);
            Assert.Equal("1", exception.Trailers.GetValue("retry-after"));
        }

        server.Store.Open();
        var answers = await Task.WhenAll(sends);
        Assert.Equal(fits, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(0, budget.UsedBytes);
        for (var i = 0; i < Requests; i++)
        {
            var traceId = Convert.ToHexString(batches[i].Request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span).ToLowerInvariant();
            var status = (await server.Api.GetAsync($"/api/traces/{traceId}", Ct)).StatusCode;
            Assert.Equal(answers[i].Status == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.NotFound, status);
        }
    }

    [Fact]
    public async Task A_gzip_body_is_counted_as_it_decompresses_and_refused_when_it_outgrows_the_bound()
    {
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions { DataDirectory = data, MaxQueuedBytes = Budget });
        var budget = server.Service<QueuedBytesBudget>();
        server.Store.Close();
        var random = new Random(5);
        using var http = new HttpClient();
        // One plain request waits in the store, holding part of the budget.
        var waiting = PostAsync(http, server.OtlpHttpBase, OtlpBatches.Create(random, "overload", 10, 2_000).Request);
        await Poll.UntilAsync(() => server.Store.WritesWaiting == 1, TimeSpan.FromSeconds(30), () => "the first request did not reach the store");
        var held = budget.UsedBytes;

        // A body of a few KB that decompresses to more than the bound.
        var (large, _) = OtlpBatches.Create(random, "overload", 1, 0);
        large.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes[0].Value.StringValue = new string('z', (int)Budget);
        var refused = await PostAsync(http, server.OtlpHttpBase, large, gzip: true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("1", refused.RetryAfter);
        Assert.Equal(held, budget.UsedBytes);
        server.Store.Open();
        Assert.Equal(HttpStatusCode.OK, (await waiting).Status);
        Assert.Equal(0, budget.UsedBytes);
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, RpcStatus Body)> PostAsync(HttpClient http, Uri baseAddress, IMessage request, bool gzip = false)
    {
        var bytes = request.ToByteArray();
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal))
                zip.Write(bytes);
            bytes = compressed.ToArray();
        }
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (gzip)
            content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync(new Uri(baseAddress, "/v1/traces"), content, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.StatusCode == HttpStatusCode.OK ? new RpcStatus() : RpcStatus.Parser.ParseFrom(body));
    }
}
