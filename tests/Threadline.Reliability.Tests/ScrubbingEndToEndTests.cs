using System.Text;
using Threadline.Server;
using Threadline.Storage;
using Threadline.Tracer;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 9, secrets: a function traced by the real Threadline tracer receives and sends secrets (an Authorization
/// header, a password and a card number in its event, an API key header on an outgoing call, a token in its response);
/// through OTLP into the real server, none of them reaches the store — not in the raw bytes of the DuckDB files, not in
/// any API answer — while the harmless values around them do (so the search would have found them).
/// </summary>
public sealed class ScrubbingEndToEndTests
{
    private static readonly string[] Secrets = ["tok-SECRET-a1", "pw-SECRET-b2", "4111111111111111", "call-SECRET-c3", "key-SECRET-d4", "resp-SECRET-e5"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scrubbed_values_never_reach_the_store_or_the_api()
    {
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions { DataDirectory = data });
        var options = new ThreadlineOptions
        {
            Endpoint = server.OtlpHttpBase,
            FunctionName = "scrub-checkout",
            FlushBudget = TimeSpan.FromSeconds(10),
            // Card numbers are not recognised by value: a key pattern for them is part of the tracer's configuration.
            ScrubKeyPatterns = { "card" },
        };
        using var tracer = ThreadlineTracer.Create(options);
        const string body = """{"user":"u-1","password":"pw-SECRET-b2","cardNumber":"4111111111111111","note":"canary-body-9c1"}""";
        var apiGatewayEvent = $$"""
            {"resource":"/pay","path":"/pay","httpMethod":"POST",
             "headers":{"Authorization":"Bearer tok-SECRET-a1","X-Canary":"canary-header-7f3"},
             "requestContext":{"requestId":"scrub-req-1","stage":"prod","resourcePath":"/pay","httpMethod":"POST"},
             "body":{{System.Text.Json.JsonSerializer.Serialize(body)}}}
            """;
        var apiPort = server.Server.ApiPort;

        var response = await tracer.InvokeAsync(apiGatewayEvent, new LambdaContext(), async (_, _) =>
        {
            using var http = new HttpClient();
            using var call = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{apiPort}/api/health?canary=canary-call-2d8");
            call.Headers.TryAddWithoutValidation("Authorization", "Bearer call-SECRET-c3");
            call.Headers.TryAddWithoutValidation("X-Api-Key", "key-SECRET-d4");
            using var answer = await http.SendAsync(call);
            await answer.Content.ReadAsStringAsync();
            return """{"statusCode":200,"body":"{\"token\":\"resp-SECRET-e5\",\"status\":\"canary-response-5b0\"}"}""";
        });
        Assert.Contains("resp-SECRET-e5", response, StringComparison.Ordinal);

        var spans = await FindSpansAsync(server.Store);
        var traceId = spans[0].TraceId.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        var answers = new StringBuilder();
        foreach (var path in new[] { $"/api/traces/{traceId}", $"/api/traces/{traceId}/logs", "/api/transactions?limit=100" })
            answers.Append(await server.Api.GetStringAsync(path, Ct));
        var stored = Encoding.UTF8.GetBytes(answers.ToString());
        var files = Directory.GetFiles(server.DataDirectory).Select(ReadShared).ToList();

        // The harmless values next to the secrets arrived, in the API and (uncompressed, in the write-ahead log) on disk.
        foreach (var canary in new[] { "canary-body-9c1", "canary-header-7f3", "canary-call-2d8", "canary-response-5b0" })
        {
            Assert.True(Contains(stored, canary), $"{canary} is missing from the API answers; the search proves nothing");
            Assert.True(files.Any(f => Contains(f, canary)), $"{canary} is missing from the data folder's raw bytes; the search proves nothing");
        }
        Assert.Contains("[scrubbed]", answers.ToString(), StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.False(Contains(stored, secret), $"{secret} reached an API answer");
            Assert.False(files.Any(f => Contains(f, secret)), $"{secret} reached the data folder's raw bytes");
        }
    }

    private static async Task<IReadOnlyList<Telemetry.SpanRecord>> FindSpansAsync(ITelemetryStore store)
    {
        IReadOnlyList<Telemetry.SpanRecord> spans = [];
        await Poll.UntilAsync(async () =>
            (spans = await store.FindSpansAsync(new SpanQuery(0, long.MaxValue, "scrub-checkout"), Ct)).Any(s => s.Attributes.Any(a => a.Key == "faas.invocation_id")),
            TimeSpan.FromSeconds(30), () => "the invocation span was not stored");
        return spans;
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    /// <summary>Shaped like Amazon.Lambda.Core's ILambdaContext, which the tracer reads by property name.</summary>
    private sealed class LambdaContext
    {
        public string AwsRequestId { get; } = Guid.NewGuid().ToString();
        public string FunctionName => "scrub-checkout";
        public string FunctionVersion => "1";
        public string InvokedFunctionArn => "arn:aws:lambda:eu-west-1:123456789012:function:scrub-checkout";
        public int MemoryLimitInMB => 256;
        public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
        public string LogGroupName => "/aws/lambda/scrub-checkout";
        public string LogStreamName => "2026/11/26/[1]abc";
    }
}
