using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Threadline.Ingest;
using Threadline.Ingest.Receive;
using Threadline.Ingest.Receive.Grpc;
using Threadline.Ingest.Receive.Http;
using Threadline.Ingest.Receive.Lumigo;
using Threadline.Ingest.Receive.Udp;
using Threadline.Server.Api;
using Threadline.Server.Derivation;
using Threadline.Server.Hosting;
using Threadline.Server.Roles;
using Threadline.Server.Security;
using Threadline.Server.Stitch;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.Retention;
using Threadline.Storage.Sharing;
using Threadline.Telemetry;

namespace Threadline.Server;

/// <summary>Builds and starts the whole server: listeners, the ingest pipeline, the store and the API.</summary>
public static class ThreadlineServer
{
    public static async Task<RunningServer> StartAsync(ThreadlineServerOptions options, CancellationToken cancellationToken = default)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => " - " + e)));

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var security = ServerSecurity.Decide(options, dataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var endpoints = new Dictionary<Listener, ListenOptions>();
        ListenOptions? tlsEndpoint = null;
        var tlsCertificate = TlsCertificate.TryLoad(options.TlsCertificatePath, options.TlsKeyPath, []);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The TLS listener serves what the OTLP/HTTP listener serves (the Lumigo tracers only post over https).
            if (tlsCertificate is not null)
                kestrel.Listen(options.BindAddress, options.TlsPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.Use(ListenerRouting.TagConnections(Listener.OtlpHttp));
                    listen.UseHttps(tlsCertificate);
                    tlsEndpoint = listen;
                });
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            Listen(kestrel, endpoints, options.BindAddress, options.OtlpGrpcPort, Listener.OtlpGrpc, HttpProtocols.Http2);
            Listen(kestrel, endpoints, options.BindAddress, options.OtlpHttpPort, Listener.OtlpHttp, HttpProtocols.Http1);
            Listen(kestrel, endpoints, options.BindAddress, options.ApiPort, Listener.Api, HttpProtocols.Http1);
            if (options.ZipkinPort is { } zipkinPort)
                Listen(kestrel, endpoints, options.BindAddress, zipkinPort, Listener.Zipkin, HttpProtocols.Http1);
        });

        ConfigureServices(builder.Services, options, dataDirectory);
        security.ConfigureServices(builder.Services, dataDirectory);
        var app = builder.Build();
        ServerSecurity.UseSecurityHeaders(app);
        app.UseRouting();
        app.Use(ListenerRouting.FilterAsync);
        security.UseAuthentication(app);
        // A role's listeners are all bound (their ports are configured alike everywhere); what a role does not do is not
        // mapped, so it answers 404.
        if (options.Role.HasFlag(ServerRole.Ingest))
        {
            app.MapGrpcService<OtlpGrpcTraceService>().WithMetadata(new ServedOn(Listener.OtlpGrpc));
            app.MapGrpcService<OtlpGrpcLogsService>().WithMetadata(new ServedOn(Listener.OtlpGrpc));
            app.MapOtlpHttp().WithMetadata(new ServedOn(Listener.OtlpHttp));
            app.MapLumigo().WithMetadata(new ServedOn(Listener.OtlpHttp));
            if (options.ZipkinPort is not null)
                app.MapZipkin().WithMetadata(new ServedOn(Listener.Zipkin));
        }
        if (options.Role.HasFlag(ServerRole.Query))
        {
            app.MapThreadlineApi().WithMetadata(new ServedOn(Listener.Api));
            app.MapTransactionApi().WithMetadata(new ServedOn(Listener.Api));
            app.MapOpenApi("/openapi/{documentName}.json").WithMetadata(new ServedOn(Listener.Api));
            security.MapEndpoints(app)?.WithMetadata(new ServedOn(Listener.Api));
            foreach (var module in options.Modules)
                module.MapEndpoints(app).WithMetadata(new ServedOn(Listener.Api));
        }
        else
            app.MapHealthApi().WithMetadata(new ServedOn(Listener.Api));

        try
        {
            // Open the stores before listening, so a broken data folder fails the start. The stitch state is in the
            // store: what is past its watermark is derived in the background (StitchCatchUp) while the server answers,
            // except when an observer still rebuilds its state in memory from a replay of the stored spans (it reads
            // the stitcher's answers, so the stitcher catches up first).
            var stitch = app.Services.GetRequiredService<StitchDerivation>();
            await RoleCheck.BeforeStartAsync(options.Role, app.Services.GetRequiredService<IDerivationLease>(), cancellationToken).ConfigureAwait(false);
            if (options.Role == ServerRole.All)
            {
                var replayed = StitchRebuilder.NeedingReplay(app.Services.GetServices<ICommittedBatchObserver>());
                if (replayed.Count > 0)
                    await stitch.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                await StitchRebuilder.RebuildAsync(app.Services.GetRequiredService<ITelemetryStore>(), replayed,
                    app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ThreadlineServer)), cancellationToken).ConfigureAwait(false);
            }
            app.Services.GetRequiredService<ITelemetrySink>();
            // Retention deletes derived rows with their spans: the deriving process's work.
            if (options.Role.HasFlag(ServerRole.Derive))
                app.Services.GetRequiredService<RetentionWorker>().Start();
            foreach (var module in options.Modules)
                await module.StartAsync(app.Services, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var api = endpoints[Listener.Api].IPEndPoint!;
            var host = api.Address.Equals(IPAddress.Any) || api.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : api.Address;
            app.Services.GetRequiredService<ApiAddress>().Url = new Uri($"http://{(host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString())}:{api.Port}");
        }
        catch
        {
            // Release the store's file and any bound port, so the caller can report the failure and try again.
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new RunningServer(app,
            endpoints[Listener.Api].IPEndPoint!.Port,
            endpoints[Listener.OtlpHttp].IPEndPoint!.Port,
            endpoints[Listener.OtlpGrpc].IPEndPoint!.Port,
            dataDirectory,
            tlsEndpoint?.IPEndPoint!.Port)
        {
            XrayPort = app.Services.GetService<XRayUdpReceiver>()?.Port,
            ZipkinPort = endpoints.TryGetValue(Listener.Zipkin, out var zipkin) ? zipkin.IPEndPoint!.Port : null,
        };
    }

    /// <summary>The role's derivation: the writer loop's observers and the start's catch-up (<c>all</c>), or the loop
    /// that follows a shared store's commits under the derivation lease (<c>derive</c>); nothing for ingest and query.</summary>
    private static void ConfigureRole(IServiceCollection services, ThreadlineServerOptions options, IStorageBackend backend)
    {
        services.AddSingleton(new DeriveStatus(options.Role));
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<ITelemetryStore>();
            return backend.OpenDerivationLease($"{Environment.MachineName} pid {Environment.ProcessId}", ServerRoles.Format(options.Role));
        });
        if (options.Role == ServerRole.All)
            services.AddHostedService<StitchCatchUp>();
        if (options.Role.HasFlag(ServerRole.Derive))
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DeriveLoop>(sp, options.Role.IsShared()));
    }

    private static void Listen(KestrelServerOptions kestrel, Dictionary<Listener, ListenOptions> endpoints, IPAddress address, int port, Listener listener, HttpProtocols protocols) =>
        kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(ListenerRouting.TagConnections(listener));
            endpoints[listener] = listen;
        });

    private static void ConfigureServices(IServiceCollection services, ThreadlineServerOptions options, string dataDirectory)
    {
        // The backend named by --store opens every store; the telemetry and the alert configuration live on the same data.
        var backend = StorageBackends.Create(options, dataDirectory);
        services.AddSingleton(backend);
        services.AddSingleton<ITelemetryStore>(_ => backend.OpenTelemetryStore());
        services.AddSingleton<IAlertConfigurationStore>(sp =>
        {
            sp.GetRequiredService<ITelemetryStore>(); // it creates the database or the schema the others open in
            return backend.OpenAlertConfigurationStore();
        });
        services.AddSingleton(new ApiAddress());
        // The stitch state lives in the store (opened after the telemetry store, which creates or upgrades the schema).
        services.AddSingleton<IStitchStore>(sp =>
        {
            sp.GetRequiredService<ITelemetryStore>();
            return backend.OpenStitchStore();
        });
        services.AddSingleton(sp => new StitchDerivation(sp.GetRequiredService<ITelemetryStore>(), sp.GetRequiredService<IStitchStore>(),
            options.StitchCacheTraces, sp.GetRequiredService<ILogger<StitchDerivation>>(), readersFillCache: !options.Role.IsShared()));
        services.AddSingleton<IDerivationProgress>(sp => sp.GetRequiredService<StitchDerivation>());
        services.AddSingleton(sp => sp.GetRequiredService<StitchDerivation>().Engine);
        ConfigureRole(services, options, backend);
        services.AddSingleton<StitchLagRecorder>();
        services.AddSingleton<ICommittedBatchObserver, StitchingObserver>();
        // Registered before the modules' observers: they derive from the stitcher's answer.
        services.AddSingleton<IDeletionObserver, StitchForgetting>();
        services.AddSingleton(new GroupCommitOptions());
        services.AddSingleton<WriterTurn>();
        // Only a process that is the store's one writer derives on its writer loop; with a shared store the derive
        // role follows the commits of every process (DeriveLoop).
        services.AddSingleton(sp => new GroupCommitSink(sp.GetRequiredService<ITelemetryStore>(),
            options.Role == ServerRole.All ? sp.GetServices<ICommittedBatchObserver>() : [],
            sp.GetRequiredService<GroupCommitOptions>(), sp.GetRequiredService<ILogger<GroupCommitSink>>(), sp.GetRequiredService<WriterTurn>()));
        services.AddSingleton<ITelemetrySink>(sp => sp.GetRequiredService<GroupCommitSink>());
        services.AddSingleton<OtlpIngestService>();
        services.AddSingleton<LumigoIngestService>();
        services.Configure<OtlpReceiverOptions>(o =>
        {
            o.MaxRequestBytes = options.MaxRequestBytes;
            o.MaxQueuedBytes = options.MaxQueuedBytes;
        });
        services.AddSingleton<QueuedBytesBudget>();
        services.AddSingleton(new RetentionOptions { MaxAge = options.Retention, DiskBudgetBytes = options.DiskBudgetBytes, Interval = options.RetentionInterval });
        services.AddSingleton<RetentionWorker>();
        services.AddOtlpGrpc(options.MaxRequestBytes);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        services.AddOpenApi();
        if (options.XrayPort is { } xrayPort && options.Role.HasFlag(ServerRole.Ingest))
        {
            services.AddSingleton(new XRayReceiverOptions { BindAddress = options.XrayBindAddress, Port = xrayPort });
            services.AddSingleton<XRayUdpReceiver>();
            services.AddHostedService(sp => sp.GetRequiredService<XRayUdpReceiver>());
        }
        foreach (var module in options.Modules)
            module.ConfigureServices(services, options);
    }
}
