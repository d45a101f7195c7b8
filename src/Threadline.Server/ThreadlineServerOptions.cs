using System.Net;
using Threadline.Server.Roles;

namespace Threadline.Server;

/// <summary>Everything <c>threadline serve</c> can be told; <see cref="Validate"/> reports every problem at once.</summary>
public sealed class ThreadlineServerOptions
{
    public const int DefaultApiPort = 5080;
    public const int DefaultOtlpHttpPort = 4318;
    public const int DefaultOtlpGrpcPort = 4317;
    public const int DefaultTlsPort = 4443;
    public const int DefaultXrayPort = Ingest.Receive.Udp.XRayReceiverOptions.DefaultPort;
    public const int DefaultZipkinPort = 9411;
    public const string DefaultClickHouseDatabase = "threadline";

    public required string DataDirectory { get; init; }
    /// <summary>The storage backend, one of <see cref="StorageBackends.Names"/> (<c>--store</c>).</summary>
    public string Store { get; init; } = StorageBackends.Default;
    /// <summary>The ClickHouse HTTP interface with <c>--store clickhouse</c> (<c>--clickhouse-url</c>), e.g. <c>http://127.0.0.1:8123</c>.</summary>
    public string? ClickHouseUrl { get; init; }
    /// <summary>The ClickHouse database Threadline keeps its tables in, created at start when missing.</summary>
    public string ClickHouseDatabase { get; init; } = DefaultClickHouseDatabase;
    /// <summary>From <c>THREADLINE_CLICKHOUSE_USER</c> / <c>_PASSWORD</c> (never a flag: flags show in process lists).</summary>
    public string ClickHouseUser { get; init; } = "default";
    public string ClickHousePassword { get; init; } = "";
    /// <summary>
    /// What this process does (<c>--role</c>): everything on its own store (<see cref="Roles.ServerRole.All"/>), or its
    /// part of several processes sharing one ClickHouse database.
    /// </summary>
    public Roles.ServerRole Role { get; init; } = Roles.ServerRole.All;

    /// <summary>
    /// How many recent traces the stitcher keeps in memory (with up to 8 invocations, hop lists and memberships per
    /// trace); the rest of the stitch state is read from the store. Changes speed, never the answer.
    /// </summary>
    public int StitchCacheTraces { get; init; } = Stitching.Persistence.PersistentStitchState.DefaultCacheTraces;

    /// <summary>DuckDB's worker threads with the embedded store (<see cref="Storage.DuckDb.DuckDbStoreOptions.Threads"/>).</summary>
    public int DuckDbThreads { get; init; } = Storage.DuckDb.DuckDbStoreOptions.DefaultThreads;
    /// <summary>Anything but a loopback address needs authentication configured (<c>SECURITY.md</c>).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>Authentication on even while <c>auth.json</c> is empty (then the start is refused until a user or token exists).</summary>
    public bool RequireAuthentication { get; init; }
    /// <summary>0 picks a free port; the chosen one is in <see cref="RunningServer"/>.</summary>
    public int ApiPort { get; init; } = DefaultApiPort;
    public int OtlpHttpPort { get; init; } = DefaultOtlpHttpPort;
    public int OtlpGrpcPort { get; init; } = DefaultOtlpGrpcPort;
    /// <summary>PEM certificate and key of the TLS listener (OTLP/HTTP and Lumigo's <c>/api/spans</c> over HTTPS); off when null.</summary>
    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }
    public int TlsPort { get; init; } = DefaultTlsPort;
    /// <summary>The X-Ray daemon protocol's UDP port (segments and ADOT's OTLP datagrams); null: not received.</summary>
    public int? XrayPort { get; init; }
    /// <summary>Where X-Ray UDP is received; unauthenticated, so loopback unless named (not <see cref="BindAddress"/>).</summary>
    public IPAddress XrayBindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>The Zipkin v2 listener's port (<c>POST /api/v2/spans</c>); null: no Zipkin listener.</summary>
    public int? ZipkinPort { get; init; }
    public int MaxRequestBytes { get; init; } = Ingest.OtlpReceiverOptions.DefaultMaxRequestBytes;
    /// <summary>Bytes of requests held at once until answered; beyond it senders get 503 + Retry-After / UNAVAILABLE.</summary>
    public long MaxQueuedBytes { get; init; } = Ingest.OtlpReceiverOptions.DefaultMaxQueuedBytes;
    /// <summary>Data older than this is deleted in the background; null keeps everything.</summary>
    public TimeSpan? Retention { get; init; }
    /// <summary>When the stored data takes more bytes than this, the oldest is deleted in the background; null: no budget.</summary>
    public long? DiskBudgetBytes { get; init; }
    /// <summary>How often retention and the disk budget are enforced.</summary>
    public TimeSpan RetentionInterval { get; init; } = Storage.Retention.RetentionOptions.DefaultInterval;
    /// <summary>
    /// The parts of the server beyond ingest, store, stitching and the core API; the executable passes the
    /// product's list, tests pass what they exercise.
    /// </summary>
    public IReadOnlyList<IServerModule> Modules { get; init; } = [];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
            errors.Add("The data folder must be given.");
        if (StorageBackends.Problem(Store) is { } store)
            errors.Add(store);
        else
            errors.AddRange(StorageBackends.Problems(this));
        if (Role.IsShared() && StorageBackends.Problem(Store) is null && !StorageBackends.IsShareable(Store))
            errors.Add($"--role {Roles.ServerRoles.Format(Role)} needs --store clickhouse: only several processes sharing one ClickHouse database split the roles; the embedded DuckDB store is one process's (use --role all).");
        if ((int)Role is < 1 or > (int)Roles.ServerRole.All)
            errors.Add($"The role must be all, or one or more of ingest, query, derive (got {(int)Role}).");
        CheckPort(errors, "API", ApiPort);
        CheckPort(errors, "OTLP/HTTP", OtlpHttpPort);
        CheckPort(errors, "OTLP/gRPC", OtlpGrpcPort);
        if (XrayPort is { } xray)
            CheckPort(errors, "X-Ray UDP", xray);
        if (ZipkinPort is { } zipkin)
            CheckPort(errors, "Zipkin", zipkin);
        var fixedPorts = new[] { ApiPort, OtlpHttpPort, OtlpGrpcPort, ZipkinPort ?? 0 }.Where(p => p != 0).ToList();
        if (fixedPorts.Count != fixedPorts.Distinct().Count())
            errors.Add($"The API, OTLP/HTTP, OTLP/gRPC and Zipkin ports must differ (got {ApiPort}, {OtlpHttpPort}, {OtlpGrpcPort}, {ZipkinPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"}).");
        if (TlsCertificatePath is not null || TlsKeyPath is not null)
        {
            CheckPort(errors, "TLS", TlsPort);
            if (TlsPort != 0 && fixedPorts.Contains(TlsPort))
                errors.Add($"The TLS port must differ from the API, OTLP/HTTP, OTLP/gRPC and Zipkin ports (got {TlsPort}).");
            Hosting.TlsCertificate.TryLoad(TlsCertificatePath, TlsKeyPath, errors)?.Dispose();
        }
        if (MaxRequestBytes < 1024)
            errors.Add($"The request size limit must be at least 1024 bytes (got {MaxRequestBytes}).");
        if (MaxQueuedBytes < 1024)
            errors.Add($"The queued bytes limit must be at least 1024 bytes (got {MaxQueuedBytes}).");
        if (StitchCacheTraces < 1)
            errors.Add($"The stitch cache must hold at least 1 trace (got {StitchCacheTraces}).");
        if (DuckDbThreads is < 1 or > Storage.DuckDb.DuckDbStoreOptions.MaxThreads)
            errors.Add($"--duckdb-threads must be between 1 and {Storage.DuckDb.DuckDbStoreOptions.MaxThreads} (got {DuckDbThreads}).");
        errors.AddRange(new Storage.Retention.RetentionOptions { MaxAge = Retention, DiskBudgetBytes = DiskBudgetBytes, Interval = RetentionInterval }.Validate());
        return errors;
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 0 or > 65535)
            errors.Add($"The {name} port must be between 0 and 65535 (got {port}).");
    }
}
