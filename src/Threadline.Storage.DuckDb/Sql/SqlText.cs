namespace Threadline.Storage.DuckDb.Sql;

/// <summary>The SQL of this backend, kept in .sql files beside this one and embedded in the assembly.</summary>
internal static class SqlText
{
    public static readonly string Schema = Load("schema.sql");
    public static readonly string GetTrace = Load("span_columns.sql") + Load("get_trace.sql");
    public static readonly string FindSpans = Load("span_columns.sql") + Load("find_spans.sql");
    public static readonly string ScanSpans = Load("span_columns.sql");
    public static readonly string FindLogs = Load("log_columns.sql") + Load("find_logs.sql");
    public static readonly string TraceRange = Load("trace_range.sql");
    public static readonly string TraceRanges = Load("trace_ranges.sql");
    public static readonly string GetTraces = Load("span_columns.sql") + Load("get_traces.sql");
    public static readonly string MigrateTo2 = Load("migrate_to_2.sql");
    public static readonly string MigrateTo3 = Load("migrate_to_3.sql");
    public static readonly string LastCommitSequence = Load("last_commit_sequence.sql");
    public static readonly string SpanCommitsAfter = Load("span_commits_after.sql");
    public static readonly string SpansCommittedBetween = Load("span_columns.sql") + Load("spans_committed_between.sql");
    public static readonly string LogCommitsAfter = Load("log_commits_after.sql");
    public static readonly string LogsCommittedBetween = Load("log_columns.sql") + Load("logs_committed_between.sql");
    public static readonly string ConfigurationSchema = Load("configuration_schema.sql");
    public static readonly string ConfigurationList = Load("configuration_list.sql");
    public static readonly string ConfigurationInsert = Load("configuration_insert.sql");
    public static readonly string ConfigurationUpdate = Load("configuration_update.sql");
    public static readonly string ConfigurationDelete = Load("configuration_delete.sql");

    private static string Load(string name)
    {
        var assembly = typeof(SqlText).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Threadline.Storage.DuckDb.Sql.{name}")
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
