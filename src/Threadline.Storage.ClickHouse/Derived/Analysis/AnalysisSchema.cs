using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>The analysis tables (<c>Sql/analysis.sql</c>, embedded): their names and the DDL split into statements.</summary>
internal static class AnalysisSchema
{
    public const string Part = "analysis";
    public const string Invocations = "analysis_invocations";
    public const string InvocationIds = "analysis_invocation_ids";
    public const string IssueIndex = "analysis_issue_index";
    public const string RecordKeyIndex = "analysis_record_key_index";
    public const string SkippedShardIndex = "analysis_skipped_shard_index";
    public const string FunctionMinutes = "analysis_function_minutes";
    public const string Resolutions = "analysis_resolutions";
    public const string RecordedDeployments = "analysis_recorded_deployments";

    /// <summary>The derived tables, written through the part's <see cref="DerivedWriteLog"/> (resolutions and deployments are not).</summary>
    public static readonly IReadOnlyList<string> DerivedTables = [Invocations, InvocationIds, IssueIndex, RecordKeyIndex, SkippedShardIndex, FunctionMinutes];

    public static IReadOnlyList<string> Statements() => EmbeddedSql.Statements("analysis.sql");
}
