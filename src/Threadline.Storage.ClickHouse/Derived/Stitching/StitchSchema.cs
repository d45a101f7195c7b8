using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

/// <summary>The stitch tables (<c>Sql/stitch.sql</c>, embedded) and the constants their rows use.</summary>
internal static class StitchSchema
{
    public const string Part = "stitch";

    public const string Spans = "stitch_spans";
    public const string SpanCutoffs = "stitch_span_cutoffs";
    public const string Invocations = "stitch_invocations";
    public const string Keys = "stitch_keys";
    public const string Hops = "stitch_hops";
    public const string Memberships = "stitch_memberships";
    public const string Transactions = "stitch_transactions";

    /// <summary>Every table of the part (each has a <c>version</c> column), for the write log.</summary>
    public static readonly IReadOnlyList<string> Tables = [Spans, SpanCutoffs, Invocations, Keys, Hops, Memberships, Transactions];

    /// <summary>The hop row keyed by its target (near = to, far = from).</summary>
    public const byte HopByTarget = 1;

    /// <summary>The hop row keyed by its source (near = from, far = to).</summary>
    public const byte HopBySource = 2;

    /// <summary>The membership row keyed by its entry (near = entry, far = member).</summary>
    public const byte MembershipByEntry = 1;

    /// <summary>The membership row keyed by its member (near = member, far = entry).</summary>
    public const byte MembershipByMember = 2;

    public static IReadOnlyList<string> Statements() => EmbeddedSql.Statements("stitch.sql");
}
