using Threadline.Storage;
using Threadline.Storage.DuckDb;

namespace Threadline.Server;

/// <summary>The one place that knows the storage backends: <c>--store</c> picks one by name.</summary>
public static class StorageBackends
{
    public const string Default = DuckDbStorageBackend.BackendName;

    /// <summary>The names <c>--store</c> accepts (ClickHouse comes with issue 14).</summary>
    public static IReadOnlyList<string> Names { get; } = [DuckDbStorageBackend.BackendName];

    /// <summary>Why <paramref name="name"/> is not accepted, or null when it is.</summary>
    public static string? Problem(string? name) => Normalize(name) is { } known && Names.Contains(known)
        ? null
        : $"--store '{name}' is not a storage backend of this Threadline; accepted: {string.Join(", ", Names)}.";

    /// <summary>The backend of that name on the data folder (<see cref="Problem"/> must be null for the name).</summary>
    public static IStorageBackend Create(string name, string dataDirectory) => Normalize(name) switch
    {
        DuckDbStorageBackend.BackendName => new DuckDbStorageBackend(new DuckDbStoreOptions { DataDirectory = dataDirectory }),
        _ => throw new ArgumentException(Problem(name), nameof(name)),
    };

    private static string? Normalize(string? name) => name?.Trim().ToLowerInvariant();
}
