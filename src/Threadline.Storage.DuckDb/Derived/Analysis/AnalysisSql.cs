namespace Threadline.Storage.DuckDb.Derived.Analysis;

/// <summary>The analysis store's SQL, in <c>Sql/analysis_*.sql</c> (embedded).</summary>
internal static class AnalysisSql
{
    public static readonly string Schema = Load("analysis_schema.sql");
    public static readonly string Staging = Load("analysis_staging.sql");
    public static readonly string Replace = Load("analysis_replace.sql");
    public static readonly string Rollup = Load("analysis_rollup.sql");
    public static readonly string Columns = Load("analysis_columns.sql");
    public static readonly string Issues = Load("analysis_issues.sql");
    public static readonly string FunctionFigures = Load("analysis_function_figures.sql");
    public static readonly string ReleaseRuns = Load("analysis_release_runs.sql");

    private static string Load(string name)
    {
        using var stream = typeof(AnalysisSql).Assembly.GetManifestResourceStream($"Threadline.Storage.DuckDb.Sql.{name}")
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
