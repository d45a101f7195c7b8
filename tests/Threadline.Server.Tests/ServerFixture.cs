using System.Net.Http.Json;
using System.Text.Json;
using Threadline.Server;

namespace Threadline.Server.Tests;

/// <summary>A real Threadline server on free loopback ports with its own data folder, removed afterwards.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const int MaxRequestBytes = 256 * 1024;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
    public RunningServer Server { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public HttpClient OtlpHttp { get; private set; } = null!;

    public async ValueTask InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        Server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = DataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            MaxRequestBytes = MaxRequestBytes,
        });
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.ApiPort}") };
        OtlpHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.OtlpHttpPort}") };
    }

    public async Task StopAsync()
    {
        Api.Dispose();
        OtlpHttp.Dispose();
        await Server.DisposeAsync();
    }

    public Uri OtlpHttpEndpoint(string path) => new($"http://127.0.0.1:{Server.OtlpHttpPort}{path}");

    public Uri OtlpGrpcEndpoint => new($"http://127.0.0.1:{Server.OtlpGrpcPort}");

    public async Task<JsonElement> GetTraceAsync(string traceId)
    {
        var response = await Api.GetAsync($"/api/traces/{traceId}", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public async Task<System.Net.HttpStatusCode> GetTraceStatusAsync(string traceId) =>
        (await Api.GetAsync($"/api/traces/{traceId}", TestContext.Current.CancellationToken)).StatusCode;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
