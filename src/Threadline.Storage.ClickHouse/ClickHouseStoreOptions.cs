using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>How the ClickHouse span store connects; the database is created at open when it is missing.</summary>
public sealed record ClickHouseStoreOptions
{
    public required ClickHouseConnectionOptions Connection { get; init; }
}
