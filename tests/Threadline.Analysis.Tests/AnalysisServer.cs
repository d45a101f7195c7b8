using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Analysis.Configuration;
using Threadline.Server;

namespace Threadline.Analysis.Tests;

/// <summary>A real Threadline server with the analysis module, on free loopback ports, with its own data folder.</summary>
internal sealed class AnalysisServer : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private AnalysisServer(RunningServer server, AnalysisModule module, string dataDirectory, ManualTime time)
    {
        Server = server;
        Module = module;
        DataDirectory = dataDirectory;
        Time = time;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.ApiPort}") };
        Otlp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OtlpHttpPort}") };
    }

    public RunningServer Server { get; }
    public AnalysisModule Module { get; }
    public string DataDirectory { get; }
    public ManualTime Time { get; }
    public HttpClient Api { get; }
    public HttpClient Otlp { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts a server whose analysis clock is at <see cref="T0"/>; <paramref name="configure"/> sets the other options.
    /// With <paramref name="retention"/>, the store's retention (on the real clock) runs every 200 ms.
    /// </summary>
    public static async Task<AnalysisServer> StartAsync(Func<ManualTime, AnalysisOptions>? configure = null, string? dataDirectory = null,
        TimeSpan? retention = null, IServerModule? extra = null)
    {
        var time = new ManualTime(T0);
        var options = configure?.Invoke(time) ?? new AnalysisOptions { Time = time, EvaluationInterval = null };
        var module = new AnalysisModule(options);
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        var server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            Retention = retention,
            RetentionInterval = TimeSpan.FromMilliseconds(200),
            Modules = extra is null ? [module] : [module, extra],
        }, Ct);
        return new AnalysisServer(server, module, dataDirectory, time);
    }

    public async Task SendAsync(params Inv[] invocations) => await SendAsync((IEnumerable<Inv>)invocations);

    public async Task SendAsync(IEnumerable<Inv> invocations)
    {
        using var content = new ByteArrayContent(Inv.Request(invocations).ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await Otlp.PostAsync("/v1/traces", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        using var response = body is null
            ? await Api.PostAsync(path, null, Ct)
            : await Api.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Sends a request with an optional JSON body; answers the status and the body (default when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Api.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> IssuesOfAsync(string function) => await GetAsync($"/api/issues?function={Uri.EscapeDataString(function)}");

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Otlp.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
