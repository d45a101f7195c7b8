using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Server;
using Threadline.Storage;
using Threadline.Storage.DuckDb;

namespace Threadline.Reliability.Tests;

/// <summary>
/// The whole server in the test process on free ports and its own data folder, with the real DuckDB store wrapped in a
/// <see cref="GatedStore"/> (a module replaces the store's registration), so a test can make the store slow.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
    private readonly StoreModule _module = new();

    private InProcessServer()
    {
    }

    public RunningServer Server { get; private set; } = null!;
    public GatedStore Store => _module.Store!;
    public string DataDirectory => _data;
    public HttpClient Api { get; private set; } = null!;
    public Uri OtlpHttpBase => new($"http://127.0.0.1:{Server.OtlpHttpPort}");
    public Uri OtlpGrpcBase => new($"http://127.0.0.1:{Server.OtlpGrpcPort}");

    /// <param name="seed">Runs on the (new) data folder before the server starts, e.g. to store spans no server derived.</param>
    public static async Task<InProcessServer> StartAsync(Func<string, ThreadlineServerOptions> options, Func<string, Task>? seed = null,
        Action<GatedStore>? configureStore = null)
    {
        var server = new InProcessServer();
        if (seed is not null)
            await seed(server._data);
        server._module.Configure = configureStore;
        var configured = options(server._data);
        server.Server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = configured.DataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            MaxRequestBytes = configured.MaxRequestBytes,
            MaxQueuedBytes = configured.MaxQueuedBytes,
            Retention = configured.Retention,
            DiskBudgetBytes = configured.DiskBudgetBytes,
            RetentionInterval = configured.RetentionInterval,
            Modules = [server._module, .. configured.Modules],
        });
        server.Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Server.ApiPort}") };
        return server;
    }

    public T Service<T>()
        where T : notnull => Server.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Store.Open();
        Api.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    private sealed class StoreModule : IServerModule
    {
        public GatedStore? Store { get; private set; }

        /// <summary>Sets the store up when it is created, before the server's start reads it.</summary>
        public Action<GatedStore>? Configure { get; set; }

        public void ConfigureServices(IServiceCollection services, ThreadlineServerOptions options) =>
            services.AddSingleton<ITelemetryStore>(_ =>
            {
                Store = new GatedStore(DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = Path.GetFullPath(options.DataDirectory) }));
                Configure?.Invoke(Store);
                return Store;
            });

        public IEndpointConventionBuilder MapEndpoints(WebApplication app) => app.MapGroup("/_reliability-tests");
    }
}
