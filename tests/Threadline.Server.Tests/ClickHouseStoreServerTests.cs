using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Storage;
using Threadline.Storage.ClickHouse;
using Threadline.Testing;

namespace Threadline.Server.Tests;

/// <summary><c>--store clickhouse</c> on a ClickHouse server of its own, which the test stops while Threadline runs.</summary>
public sealed class ClickHouseStoreServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spans_are_stored_in_clickhouse_and_when_it_goes_away_senders_get_503_with_retry_after()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
        var clickHouse = await ClickHouseServer.StartAsync(Ct);
        RunningServer? server = null;
        try
        {
            server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
            {
                DataDirectory = data,
                Store = "clickhouse",
                ClickHouseUrl = clickHouse.Url.ToString(),
                ClickHouseDatabase = "server_gone",
                ApiPort = 0,
                OtlpHttpPort = 0,
                OtlpGrpcPort = 0,
            }, Ct);
            Assert.IsType<ClickHouseStorageBackend>(server.Services.GetRequiredService<IStorageBackend>());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OtlpHttpPort}") };
            var traceId = OtlpRequests.RandomTraceId();

            using (var stored = await PostAsync(http, traceId, "stored"))
                Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            var read = await server.Services.GetRequiredService<ITelemetryStore>().GetTraceAsync(
                UInt128.Parse(OtlpRequests.Hex(traceId), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture), Ct);
            Assert.Equal("stored", Assert.Single(read).Name);

            await clickHouse.DisposeAsync(); // stopped by its PID, as a crash would

            using var refused = await PostAsync(http, OtlpRequests.RandomTraceId(), "while away");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
            await clickHouse.DisposeAsync();
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, ByteString traceId, string name)
    {
        using var content = new ByteArrayContent(OtlpRequests.Request(OtlpRequests.Span(traceId, name)).ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return await http.PostAsync("/v1/traces", content, Ct);
    }
}
