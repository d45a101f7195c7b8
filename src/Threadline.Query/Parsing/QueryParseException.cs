namespace Threadline.Query.Parsing;

/// <summary>A malformed query: where (1-based <see cref="Position"/>, as in the message) and what was expected. The only
/// exception the parser throws for any input text.</summary>
public sealed class QueryParseException : FormatException
{
    public QueryParseException(int offset, string expected, string? found)
        : base(Describe(offset, expected, found))
    {
        Offset = offset;
        Expected = expected;
        Found = found;
    }

    /// <summary>0-based index into the query text (equal to its length when the query ended too soon).</summary>
    public int Offset { get; }

    /// <summary>1-based position, as the message names it.</summary>
    public int Position => Offset + 1;

    /// <summary>What would have been valid there, e.g. "duration takes a duration such as 500ms".</summary>
    public string Expected { get; }

    /// <summary>What the query had there; null at the end of the query.</summary>
    public string? Found { get; }

    private static string Describe(int offset, string expected, string? found) =>
        $"position {offset + 1}: {expected}; got {(found is null ? "end of query" : $"'{found}'")}";
}
