using System.Diagnostics;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb;

namespace Threadline.Bench;

/// <summary>
/// `open --data DIR`: opens a store folder and prints how long the open took, which includes the upgrade of a folder of
/// an older schema version (e.g. one kept by THREADLINE_BENCH_KEEP=1 from a build of an older commit).
/// </summary>
internal static class OpenCommand
{
    public static async Task<int> RunAsync(string dataDirectory)
    {
        var options = new DuckDbStoreOptions { DataDirectory = dataDirectory };
        if (!File.Exists(options.DatabasePath))
        {
            Console.Error.WriteLine($"No store at {options.DatabasePath}.");
            return 2;
        }
        var before = SchemaVersion(options.DatabasePath);
        var clock = Stopwatch.StartNew();
        var store = DuckDbTelemetryStore.Open(options);
        var opened = clock.Elapsed;
        long spans;
        await using (store)
            spans = (await store.GetStatisticsAsync(CancellationToken.None)).SpanCount;
        Console.WriteLine($"opened schema {before} -> {SchemaVersion(options.DatabasePath)} with {spans:N0} spans in {opened.TotalSeconds:F1} s");
        return 0;
    }

    private static int SchemaVersion(string databasePath)
    {
        using var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(databasePath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(version) FROM threadline_schema";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
