using System.CommandLine;
using Threadline.Server;

namespace Threadline.Commands;

/// <summary>
/// The options of the server that <c>serve</c> and <c>demo</c> share (data folder, ports, request size), each
/// also from a THREADLINE_* variable; and starting the server from them with the same messages.
/// </summary>
internal sealed class ServerCommandOptions
{
    private readonly Option<string> _data;
    private readonly Option<int> _apiPort = PortOption("--api-port", "THREADLINE_API_PORT", ThreadlineServerOptions.DefaultApiPort, "UI and JSON API");
    private readonly Option<int> _otlpHttpPort = PortOption("--otlp-http-port", "THREADLINE_OTLP_HTTP_PORT", ThreadlineServerOptions.DefaultOtlpHttpPort, "OTLP/HTTP receiver");
    private readonly Option<int> _otlpGrpcPort = PortOption("--otlp-grpc-port", "THREADLINE_OTLP_GRPC_PORT", ThreadlineServerOptions.DefaultOtlpGrpcPort, "OTLP/gRPC receiver");
    private readonly Option<int> _tlsPort = PortOption("--tls-port", "THREADLINE_TLS_PORT", ThreadlineServerOptions.DefaultTlsPort, "HTTPS receiver (OTLP/HTTP and Lumigo /api/spans; only with --tls-cert)");
    private readonly Option<string?> _tlsCert = new("--tls-cert")
    {
        Description = "PEM certificate of the HTTPS receiver, which the Lumigo tracers need (off by default) [env: THREADLINE_TLS_CERT]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THREADLINE_TLS_CERT") is { Length: > 0 } value ? value : null,
    };
    private readonly Option<string?> _tlsKey = new("--tls-key")
    {
        Description = "PEM private key of --tls-cert [env: THREADLINE_TLS_KEY]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THREADLINE_TLS_KEY") is { Length: > 0 } value ? value : null,
    };
    private readonly Option<int> _maxRequestBytes = new("--max-request-bytes")
    {
        Description = "Largest OTLP request body accepted, before and after decompression [env: THREADLINE_MAX_REQUEST_BYTES]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, "THREADLINE_MAX_REQUEST_BYTES", Ingest.OtlpReceiverOptions.DefaultMaxRequestBytes),
    };
    private readonly Option<int> _maxQueuedBytes = new("--max-queued-bytes")
    {
        Description = "Bytes of OTLP requests held at once until stored; beyond it senders get 503 + Retry-After [env: THREADLINE_MAX_QUEUED_BYTES]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, "THREADLINE_MAX_QUEUED_BYTES", Ingest.OtlpReceiverOptions.DefaultMaxQueuedBytes),
    };
    private readonly Option<string?> _retention = new("--retention")
    {
        Description = "Delete data older than this age, e.g. 7d, 12h (default: keep everything) [env: THREADLINE_RETENTION]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THREADLINE_RETENTION") is { Length: > 0 } value ? value : null,
    };
    private readonly Option<string?> _diskBudget = new("--disk-budget")
    {
        Description = "Delete the oldest data when the store takes more than this, e.g. 10GB (default: no budget) [env: THREADLINE_DISK_BUDGET]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THREADLINE_DISK_BUDGET") is { Length: > 0 } value ? value : null,
    };

    private readonly Option<string> _store = new("--store")
    {
        Description = $"Storage backend: {string.Join(", ", StorageBackends.Names)} (duckdb: the embedded store in --data; clickhouse: a ClickHouse server, --clickhouse-url) [env: THREADLINE_STORE]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_STORE", StorageBackends.Default),
    };
    private readonly Option<string?> _clickHouseUrl = new("--clickhouse-url")
    {
        Description = "ClickHouse's HTTP interface with --store clickhouse, e.g. http://127.0.0.1:8123; user and password from THREADLINE_CLICKHOUSE_USER / THREADLINE_CLICKHOUSE_PASSWORD [env: THREADLINE_CLICKHOUSE_URL]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("THREADLINE_CLICKHOUSE_URL") is { Length: > 0 } value ? value : null,
    };
    private readonly Option<string> _clickHouseDatabase = new("--clickhouse-database")
    {
        Description = "The ClickHouse database Threadline keeps its tables in, created when missing [env: THREADLINE_CLICKHOUSE_DATABASE]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_CLICKHOUSE_DATABASE", ThreadlineServerOptions.DefaultClickHouseDatabase),
    };

    private readonly Option<string> _role = new("--role")
    {
        Description = "What this process does: all (default: everything, on its own store), or for several processes sharing one ClickHouse database one or more of ingest, query, derive joined by commas (one derive process runs at a time; others stand by) [env: THREADLINE_ROLE]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_ROLE", "all"),
    };

    private readonly Option<int> _stitchCacheTraces = new("--stitch-cache-traces")
    {
        Description = "Recent traces whose stitch state (invocations, hops, transactions) is kept in memory; the rest is read from the store [env: THREADLINE_STITCH_CACHE_TRACES]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, "THREADLINE_STITCH_CACHE_TRACES", Stitching.Persistence.PersistentStitchState.DefaultCacheTraces),
    };

    private readonly Option<int> _duckDbThreads = new("--duckdb-threads")
    {
        Description = "DuckDB's worker threads with the embedded store; more can speed up large reads, at some CPU per ingested span [env: THREADLINE_DUCKDB_THREADS]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, "THREADLINE_DUCKDB_THREADS", Storage.DuckDb.DuckDbStoreOptions.DefaultThreads),
    };

    private readonly Option<string> _bind = new("--bind")
    {
        Description = "IP address to listen on; anything but loopback needs authentication configured (threadline auth) [env: THREADLINE_BIND]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_BIND", "127.0.0.1"),
    };
    private readonly Option<bool> _requireAuth = new("--require-auth")
    {
        Description = "Require authentication even while no user or token exists (the start is then refused) [env: THREADLINE_REQUIRE_AUTH=true]",
        DefaultValueFactory = _ => string.Equals(Environment.GetEnvironmentVariable("THREADLINE_REQUIRE_AUTH"), "true", StringComparison.OrdinalIgnoreCase),
    };

    private readonly OptionalPort _xrayPort = new("--xray-port", "THREADLINE_XRAY_PORT", ThreadlineServerOptions.DefaultXrayPort,
        "X-Ray daemon UDP receiver (X-Ray SDK segments, ADOT OTLP datagrams; unauthenticated)");
    private readonly Option<string> _xrayBind = new("--xray-bind")
    {
        Description = "IP address the X-Ray UDP receiver listens on; it takes no token, so only loopback unless named here [env: THREADLINE_XRAY_BIND]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_XRAY_BIND", "127.0.0.1"),
    };
    private readonly OptionalPort _zipkinPort = new("--zipkin-port", "THREADLINE_ZIPKIN_PORT", ThreadlineServerOptions.DefaultZipkinPort,
        "Zipkin v2 listener (POST /api/v2/spans)");

    private readonly IReadOnlyDictionary<string, string>? _moduleDefaults;

    /// <param name="moduleDefaults">Values for the modules' THREADLINE_* variables when they are not set.</param>
    public ServerCommandOptions(string defaultDataDirectory, IReadOnlyDictionary<string, string>? moduleDefaults = null)
    {
        _moduleDefaults = moduleDefaults;
        _data = new Option<string>("--data")
        {
            Description = "The data folder: the embedded store (with --store duckdb), authentication and keys [env: THREADLINE_DATA]",
            DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_DATA", defaultDataDirectory),
        };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_data);
        command.Options.Add(_store);
        command.Options.Add(_clickHouseUrl);
        command.Options.Add(_clickHouseDatabase);
        command.Options.Add(_role);
        command.Options.Add(_stitchCacheTraces);
        command.Options.Add(_duckDbThreads);
        command.Options.Add(_bind);
        command.Options.Add(_requireAuth);
        command.Options.Add(_apiPort);
        command.Options.Add(_otlpHttpPort);
        command.Options.Add(_otlpGrpcPort);
        command.Options.Add(_tlsCert);
        command.Options.Add(_tlsKey);
        command.Options.Add(_tlsPort);
        command.Options.Add(_maxRequestBytes);
        command.Options.Add(_maxQueuedBytes);
        command.Options.Add(_retention);
        command.Options.Add(_diskBudget);
        command.Options.Add(_xrayPort.Option);
        command.Options.Add(_xrayBind);
        command.Options.Add(_zipkinPort.Option);
    }

    /// <summary>The server options, with the product's modules; <c>Problems</c> lists their configuration errors.</summary>
    public (ThreadlineServerOptions Options, IReadOnlyList<string> Problems) Read(ParseResult parse)
    {
        var (modules, moduleProblems) = ProductModules.FromEnvironment(_moduleDefaults);
        var problems = new List<string>(moduleProblems);
        var retention = parse.GetValue(_retention) is { } age ? Storage.Retention.RetentionValues.ParseAge(age, "--retention", problems) : null;
        var diskBudget = parse.GetValue(_diskBudget) is { } size ? Storage.Retention.RetentionValues.ParseBytes(size, "--disk-budget", problems) : null;
        var role = Server.Roles.ServerRoles.Parse(parse.GetValue(_role), out var roleProblem);
        if (roleProblem is not null)
            problems.Add(roleProblem);
        var bind = parse.GetValue(_bind)!;
        var bindAddress = System.Net.IPAddress.TryParse(bind, out var parsed) ? parsed : null;
        var xrayBind = parse.GetValue(_xrayBind)!;
        if (!System.Net.IPAddress.TryParse(xrayBind, out var xrayBindAddress))
            problems.Add($"--xray-bind '{xrayBind}' is not an IP address (such as 127.0.0.1 or 0.0.0.0).");
        return (new ThreadlineServerOptions
        {
            DataDirectory = parse.GetValue(_data)!,
            Store = parse.GetValue(_store)!,
            ClickHouseUrl = parse.GetValue(_clickHouseUrl),
            ClickHouseDatabase = parse.GetValue(_clickHouseDatabase)!,
            Role = role ?? Server.Roles.ServerRole.All,
            ClickHouseUser = EnvironmentDefault.String("THREADLINE_CLICKHOUSE_USER", "default"),
            ClickHousePassword = Environment.GetEnvironmentVariable("THREADLINE_CLICKHOUSE_PASSWORD") ?? "",
            StitchCacheTraces = parse.GetValue(_stitchCacheTraces),
            DuckDbThreads = parse.GetValue(_duckDbThreads),
            BindAddress = bindAddress ?? System.Net.IPAddress.Loopback,
            RequireAuthentication = parse.GetValue(_requireAuth),
            ApiPort = parse.GetValue(_apiPort),
            OtlpHttpPort = parse.GetValue(_otlpHttpPort),
            OtlpGrpcPort = parse.GetValue(_otlpGrpcPort),
            TlsCertificatePath = parse.GetValue(_tlsCert),
            TlsKeyPath = parse.GetValue(_tlsKey),
            TlsPort = parse.GetValue(_tlsPort),
            MaxRequestBytes = parse.GetValue(_maxRequestBytes),
            MaxQueuedBytes = parse.GetValue(_maxQueuedBytes),
            Retention = retention,
            DiskBudgetBytes = diskBudget,
            XrayPort = _xrayPort.Read(parse, problems),
            XrayBindAddress = xrayBindAddress ?? System.Net.IPAddress.Loopback,
            ZipkinPort = _zipkinPort.Read(parse, problems),
            Modules = modules,
        }, bindAddress is null ? [.. problems, $"--bind '{bind}' is not an IP address (such as 127.0.0.1, 0.0.0.0 or ::)."] : problems);
    }

    /// <summary>
    /// Starts the server and prints where it listens; on a configuration or start problem prints why and returns
    /// null with the exit code to end with.
    /// </summary>
    public static async Task<(RunningServer? Server, int ExitCode)> StartAsync(ThreadlineServerOptions options, IEnumerable<string> problems, CancellationToken cancellationToken)
    {
        var errors = options.Validate().Concat(problems).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
                await Console.Error.WriteLineAsync("threadline: " + error).ConfigureAwait(false);
            return (null, 2);
        }

        RunningServer server;
        try
        {
            server = await ThreadlineServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or DuckDB.NET.Data.DuckDBException
            or Storage.ClickHouse.Client.ClickHouseUnavailableException or Storage.ClickHouse.Client.ClickHouseServerException)
        {
            // A port in use, a data folder held by another Threadline, a store from another version, a ClickHouse that
            // cannot be reached or refuses (wrong password, no right to create the database).
            await Console.Error.WriteLineAsync("threadline: cannot start: " + e.Message).ConfigureAwait(false);
            return (null, 1);
        }
        var host = options.BindAddress;
        Console.WriteLine($"Threadline is running. Data: {server.DataDirectory}");
        if (options.Role != Server.Roles.ServerRole.All)
            Console.WriteLine($"  Role:       {Server.Roles.ServerRoles.Format(options.Role)} (sharing ClickHouse database {options.ClickHouseDatabase})");
        Console.WriteLine($"  UI and API: http://{host}:{server.ApiPort}");
        Console.WriteLine($"  OTLP/HTTP:  http://{host}:{server.OtlpHttpPort}");
        Console.WriteLine($"  OTLP/gRPC:  http://{host}:{server.OtlpGrpcPort}");
        if (server.TlsPort is { } tlsPort)
            Console.WriteLine($"  HTTPS:      https://{host}:{tlsPort} (OTLP/HTTP, Lumigo /api/spans)");
        if (server.ZipkinPort is { } zipkinPort)
            Console.WriteLine($"  Zipkin:     http://{host}:{zipkinPort}/api/v2/spans");
        if (server.XrayPort is { } xrayPort)
            Console.WriteLine($"  X-Ray UDP:  {options.XrayBindAddress}:{xrayPort} (no authentication)");
        Console.WriteLine("  " + AuthCommand.Describe(server));
        return (server, 0);
    }

    /// <summary>Runs until Ctrl+C or SIGTERM.</summary>
    public static async Task WaitForShutdownAsync(RunningServer server, CancellationToken cancellationToken)
    {
        try
        {
            await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: fall through to an orderly stop.
        }
    }

    private static Option<int> PortOption(string name, string variable, int fallback, string what) => new(name)
    {
        Description = $"Port of the {what}; 0 picks a free one [env: {variable}]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, variable, fallback),
    };
}
