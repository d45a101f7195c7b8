using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Threadline.Testing;

namespace Threadline.Server.Tests;

/// <summary>
/// <c>POST /api/spans</c>, the Lumigo tracers' edge protocol, on a real server: the captured bodies of the Node tracer
/// through the TLS listener (a self-signed certificate made here) and the plain OTLP/HTTP listener, the Python tracer's
/// zipped bulks, and bad bodies answered 400 with what was wrong while the next good body is still stored.
/// </summary>
public sealed class LumigoReceiverTests : IAsyncLifetime
{
    private readonly SelfSignedTls _tls = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
    private RunningServer _server = null!;
    private HttpClient _api = null!;
    private HttpClient _https = null!;
    private HttpClient _plain = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = _dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            TlsPort = 0,
            TlsCertificatePath = _tls.CertificatePath,
            TlsKeyPath = _tls.KeyPath,
        }, Ct);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
        _https = _tls.Client(new Uri($"https://127.0.0.1:{_server.TlsPort}"));
        _plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.OtlpHttpPort}") };
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        _https.Dispose();
        _plain.Dispose();
        await _server.DisposeAsync();
        _tls.Dispose();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task The_node_tracers_bodies_over_https_are_one_invocation_with_its_SQS_send()
    {
        Assert.NotNull(_server.TlsPort);
        Assert.NotEqual(0, _server.TlsPort);
        foreach (var name in new[] { "lumigo-edge-1.json", "lumigo-edge-2.json" })
        {
            using var response = await PostAsync(_https, new ByteArrayContent(Fixture(name)));
            var answer = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, answer);
            Assert.Equal(name.EndsWith("1.json", StringComparison.Ordinal) ? 1 : 2, JsonDocument.Parse(answer).RootElement.GetProperty("acceptedSpans").GetInt32());
        }

        var invocation = await InvocationAsync("req-lumigo-1");
        Assert.Equal(("probe-fn", true), (invocation.GetProperty("function").GetString(), invocation.GetProperty("coldStart").GetBoolean()));
        var list = await GetAsync("/api/transactions?messageId=4e46950d-f4b7-4da8-ba5c-3d536acb41b0");
        var summary = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal(1, summary.GetProperty("invocationCount").GetInt32());
        var transaction = await GetAsync($"/api/transactions/{summary.GetProperty("id").GetString()}");
        Assert.Equal(["SQS.SendMessage", "probe-fn", "probe-fn started"],
            transaction.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Gzip_content_encoding_and_the_python_tracers_zipped_bulk_are_decoded_on_the_plain_listener()
    {
        var gzipped = new ByteArrayContent(Gzip(Fixture("lumigo-edge-1.json")));
        gzipped.Headers.ContentEncoding.Add("gzip");
        using (var response = await PostAsync(_plain, gzipped))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // lumigo_tracer with LUMIGO_SUPPORT_LARGE_INVOCATIONS: the body is a JSON string of base64 of the gzipped array.
        var zippedBulk = JsonSerializer.Serialize(Convert.ToBase64String(Gzip(Fixture("lumigo-edge-2.json"))));
        using (var response = await PostAsync(_plain, new StringContent(zippedBulk, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var invocation = await InvocationAsync("req-lumigo-1");
        Assert.Equal("ok", invocation.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("[{\"id\":", "not valid JSON")]
    [InlineData("{\"id\":\"x\"}", "JSON object")]
    [InlineData("\"H4sI%%%\"", "base64")]
    [InlineData("\"aGVsbG8gd29ybGQ=\"", "neither gzip data nor a JSON array")]
    [InlineData("\"H4sIAAAAAAAAA/////8=\"", "not valid gzip")]
    [InlineData("", "empty")]
    public async Task A_bad_body_is_answered_400_with_what_was_wrong_and_the_next_good_one_is_stored(string body, string reason)
    {
        using (var response = await PostAsync(_https, new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(3, error.GetProperty("code").GetInt32());
            Assert.Contains(reason, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var response = await PostAsync(_https, new ByteArrayContent(Fixture("lumigo-edge-2.json"))))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("probe-fn", (await InvocationAsync("req-lumigo-1")).GetProperty("function").GetString());
    }

    [Fact]
    public async Task Spans_that_cannot_be_read_are_listed_and_the_others_stored()
    {
        var spans = JsonNodeArray(Fixture("lumigo-edge-2.json"));
        var body = $"[42,{{\"type\":\"http\",\"started\":1}},{spans}]";

        using var response = await PostAsync(_https, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, answer.GetProperty("acceptedSpans").GetInt32());
        Assert.Equal(["span 0: not a JSON object", "span 1: missing id"], answer.GetProperty("rejectedSpans").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("probe-fn", (await InvocationAsync("req-lumigo-1")).GetProperty("function").GetString());
    }

    private static string JsonNodeArray(byte[] array)
    {
        var text = Encoding.UTF8.GetString(array).Trim();
        return text[1..^1];
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/spans") { Content = content };
        // As the tracer sends it; with authentication off the value is not checked.
        request.Headers.TryAddWithoutValidation("Authorization", "t_0123456789abcdef0123");
        return client.SendAsync(request, Ct);
    }

    private async Task<JsonElement> InvocationAsync(string requestId)
    {
        var list = await GetAsync($"/api/transactions?requestId={requestId}");
        var summary = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        var transaction = await GetAsync($"/api/transactions/{summary.GetProperty("id").GetString()}");
        return Assert.Single(transaction.GetProperty("invocations").EnumerateArray(), i => i.GetProperty("requestId").GetString() == requestId);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _api.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", name));

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
