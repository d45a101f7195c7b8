using Threadline.Server.Roles;
using Threadline.Storage;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.DuckDb;

namespace Threadline.Server;

/// <summary>The one place that knows the storage backends: <c>--store</c> picks one by name.</summary>
public static class StorageBackends
{
    public const string Default = DuckDbStorageBackend.BackendName;

    /// <summary>The names <c>--store</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [DuckDbStorageBackend.BackendName, ClickHouseStorageBackend.BackendName];

    /// <summary>Why <paramref name="name"/> is not accepted, or null when it is.</summary>
    public static string? Problem(string? name) => Normalize(name) is { } known && Names.Contains(known)
        ? null
        : $"--store '{name}' is not a storage backend of this Threadline; accepted: {string.Join(", ", Names)}.";

    /// <summary>Whether several processes can share the named backend's store (<c>--role</c> other than <c>all</c>).</summary>
    public static bool IsShareable(string? name) => Normalize(name) == ClickHouseStorageBackend.BackendName;

    /// <summary>What the chosen backend's own options lack or get wrong.</summary>
    public static IEnumerable<string> Problems(ThreadlineServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Normalize(options.Store) != ClickHouseStorageBackend.BackendName)
            yield break;
        if (string.IsNullOrWhiteSpace(options.ClickHouseUrl))
            yield return "--store clickhouse needs --clickhouse-url (or THREADLINE_CLICKHOUSE_URL), e.g. http://127.0.0.1:8123.";
        else if (ClickHouseUrl(options.ClickHouseUrl) is null)
            yield return $"--clickhouse-url '{options.ClickHouseUrl}' is not an http:// or https:// URL of ClickHouse's HTTP interface (e.g. http://127.0.0.1:8123).";
        if (!ClickHouseSql.IsPlainIdentifier(options.ClickHouseDatabase))
            yield return $"--clickhouse-database '{options.ClickHouseDatabase}' is not a database name ClickHouse takes unquoted (letters, digits and '_').";
    }

    /// <summary>The backend the options name (<see cref="Problem"/> and <see cref="Problems"/> must have found nothing).</summary>
    public static IStorageBackend Create(ThreadlineServerOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Normalize(options.Store) switch
        {
            DuckDbStorageBackend.BackendName => new DuckDbStorageBackend(new DuckDbStoreOptions { DataDirectory = dataDirectory, Threads = options.DuckDbThreads }),
            ClickHouseStorageBackend.BackendName => new ClickHouseStorageBackend(new ClickHouseConnectionOptions
            {
                Url = ClickHouseUrl(options.ClickHouseUrl) ?? throw new ArgumentException(Problems(options).First(), nameof(options)),
                Database = options.ClickHouseDatabase,
                User = options.ClickHouseUser,
                Password = options.ClickHousePassword,
            })
            {
                SharedDatabase = options.Role.IsShared(),
                // The derivation loop asks for new commits itself, so each round derives up to one fixed commit.
                RefreshCommitsOnRequest = options.Role.IsShared() && options.Role.HasFlag(ServerRole.Derive),
            },
            _ => throw new ArgumentException(Problem(options.Store), nameof(options)),
        };
    }

    private static Uri? ClickHouseUrl(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;

    private static string? Normalize(string? name) => name?.Trim().ToLowerInvariant();
}
