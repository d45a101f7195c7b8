namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// ClickHouse could not be reached or did not answer in time (connection refused or reset, name not resolved,
/// timeout). Distinct from <see cref="ClickHouseServerException"/> so that an ingest path can answer 503 +
/// Retry-After: the server may come back, and nothing was acknowledged. After an insert fails this way the rows
/// may or may not have been stored; the store's commit markers keep such rows invisible.
/// </summary>
public sealed class ClickHouseUnavailableException : Exception
{
    public ClickHouseUnavailableException() : base("ClickHouse is unavailable") { }

    public ClickHouseUnavailableException(string message) : base(message) { }

    public ClickHouseUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
