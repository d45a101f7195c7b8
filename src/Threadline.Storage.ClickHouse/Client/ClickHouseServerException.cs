namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// ClickHouse answered with an error: <see cref="Code"/> is its error code (e.g. 47 unknown identifier, 60 unknown
/// table, 62 syntax error, 81 unknown database, 192/193/516 authentication) and <see cref="ServerMessage"/> its text.
/// </summary>
public sealed class ClickHouseServerException : Exception
{
    public ClickHouseServerException(int code, string serverMessage, string query)
        : base($"ClickHouse error {code}: {serverMessage} (query: {Shorten(query)})")
    {
        Code = code;
        ServerMessage = serverMessage;
    }

    public ClickHouseServerException() : this(0, "unknown error", "") { }

    public ClickHouseServerException(string message) : base(message) => ServerMessage = message;

    public ClickHouseServerException(string message, Exception innerException) : base(message, innerException) => ServerMessage = message;

    public int Code { get; }

    public string ServerMessage { get; } = "";

    private static string Shorten(string query)
    {
        var oneLine = string.Join(' ', query.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length <= 200 ? oneLine : string.Concat(oneLine.AsSpan(0, 200), "…");
    }
}
