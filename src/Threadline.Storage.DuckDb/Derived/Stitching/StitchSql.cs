using System.Globalization;
using System.Text;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.DuckDb.Derived.Stitching;

/// <summary>The stitch store's SQL (<c>Sql/stitch_*.sql</c>, embedded) and the id filters it writes as literals.</summary>
internal static class StitchSql
{
    public static readonly string Schema = Load("stitch_schema.sql");
    public static readonly string SelectSpans = Load("stitch_spans_select.sql");
    public static readonly string SelectInvocations = Load("stitch_invocations_select.sql");
    public static readonly string SelectKeys = Load("stitch_keys_select.sql");
    public static readonly string SelectHops = Load("stitch_hops_select.sql");
    public static readonly string SelectMemberships = Load("stitch_memberships_select.sql");
    public static readonly string SelectTransactions = Load("stitch_transactions_select.sql");
    public static readonly string ListTransactions = Load("stitch_transactions_list.sql");

    /// <summary>The ART indexes the schema creates (name, table, column), read from its CREATE INDEX statements.</summary>
    public static readonly IReadOnlyList<(string Name, string Table, string Column)> Indexes =
    [
        .. System.Text.RegularExpressions.Regex.Matches(Schema, @"CREATE INDEX IF NOT EXISTS (\w+) ON (\w+) \((\w+)\);")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)),
    ];

    /// <summary>How many ids one statement names; a longer list is split (the SQL text stays small).</summary>
    public const int Chunk = 512;

    /// <summary><c>column IN (…)</c> of numbers: only numbers are ever written into SQL text, never strings.</summary>
    public static string In(string column, IEnumerable<ulong> values)
    {
        var text = new StringBuilder(column).Append(" IN (");
        var first = true;
        foreach (var value in values.Distinct())
        {
            if (!first)
                text.Append(", ");
            text.Append(value.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
        return first ? "false" : text.Append(')').ToString();
    }

    public static ulong Hi(UInt128 traceId) => (ulong)(traceId >> 64);

    public static ulong Lo(UInt128 traceId) => (ulong)traceId;

    public static UInt128 TraceId(ulong hi, ulong lo) => ((UInt128)hi << 64) | lo;

    private static string Load(string name)
    {
        using var stream = typeof(StitchSql).Assembly.GetManifestResourceStream($"Threadline.Storage.DuckDb.Sql.{name}")
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
