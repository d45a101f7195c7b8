using System.Net;
using System.Text.Json;
using Threadline.Analysis;
using Threadline.Analysis.Configuration;
using Threadline.Server;

namespace Threadline.Demo.Tests;

/// <summary>A real Threadline server on free loopback ports with its own data folder, removed afterwards.</summary>
public sealed class ThreadlineUnderTest : IAsyncDisposable
{
    /// <summary>How long a test waits for telemetry to be stored and stitched before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-demo-tests", Guid.NewGuid().ToString("n"));
    private RunningServer _server = null!;
    private HttpClient _api = null!;

    public Uri OtlpEndpoint => new($"http://127.0.0.1:{_server.OtlpHttpPort}");

    public static async Task<ThreadlineUnderTest> StartAsync()
    {
        var threadline = new ThreadlineUnderTest();
        threadline._server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = threadline._dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            // The demo command's analysis: users by the payment's userId, VIPs by its vip flag.
            Modules = [new AnalysisModule(new AnalysisOptions
            {
                UserRule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.userId" },
                VipRule = new VipRule { Rule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.vip" }, Values = ["true"] },
                EvaluationInterval = null,
            })],
        }, TestContext.Current.CancellationToken);
        threadline._api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{threadline._server.ApiPort}") };
        return threadline;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _api.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Polls an API path until its answer satisfies <paramref name="condition"/> (telemetry that the tracer could not
    /// export within its flush budget arrives a little later); fails with the last answer at the deadline.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        string last = "(no answer)";
        do
        {
            using var response = await _api.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            last = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(last).RootElement.Clone() is var answer && condition(answer))
                return answer;
        }
        while (await WaitAsync(poll, deadline.Token));
        Assert.Fail($"{path} did not reach the expected state within {Deadline}; last answer: {last}");
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer poll, CancellationToken deadline)
    {
        try
        {
            return await poll.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
