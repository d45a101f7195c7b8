namespace Threadline.Storage.ClickHouse.Client;

/// <summary>Where and how to reach a ClickHouse server over its HTTP interface.</summary>
public sealed record ClickHouseConnectionOptions
{
    /// <summary>The HTTP interface, e.g. <c>http://127.0.0.1:8123</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>The database queries run in (it must exist, except for the statement that creates it).</summary>
    public string Database { get; init; } = "default";

    public string User { get; init; } = "default";

    public string Password { get; init; } = "";

    /// <summary>gzip request bodies and ask the server for gzip responses (<c>enable_http_compression=1</c>).</summary>
    public bool Compression { get; init; } = true;

    /// <summary>How long one request may take, from sending to the last byte of the answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
