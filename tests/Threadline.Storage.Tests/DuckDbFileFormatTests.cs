using DuckDB.NET.Data;
using Threadline.Storage.DuckDb;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>
/// The DuckDB file's format: new files hold zstd-compressed long text, files of an earlier format keep DuckDB's
/// automatic compression (a zstd column in such a file would be stored uncompressed).
/// </summary>
public sealed class DuckDbFileFormatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_store_compresses_span_attributes_and_log_bodies_with_zstd()
    {
        var folder = NewFolder();
        await WriteAndCloseAsync(folder);

        Assert.Equal(["ZSTD"], Compressions(folder, "spans", "attributes"));
        Assert.Equal(["ZSTD"], Compressions(folder, "logs", "body"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_store_in_a_file_of_an_earlier_format_keeps_duckdbs_automatic_compression_and_its_rows()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(folder);
        // The format an earlier Threadline wrote: DuckDB's default, without the storage version setting.
        using (var earlier = new DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbStoreOptions.FileName)}"))
        {
            earlier.Open();
            Assert.False(DuckDbFileFormat.HoldsZstdStrings(earlier));
        }

        var written = await WriteAndCloseAsync(folder);

        var compressions = Compressions(folder, "spans", "attributes");
        Assert.NotEmpty(compressions);
        Assert.DoesNotContain("Uncompressed", compressions);
        Assert.DoesNotContain("ZSTD", compressions);
        await using var reopened = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder });
        var trace = await reopened.GetTraceAsync(written.TraceId, Ct);
        Assert.Equal(written.Attributes, Assert.Single(trace, s => s.SpanId == written.SpanId).Attributes);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("v1.2.0+", "1.2.0")]
    [InlineData("v1.0.0+", "1.0.0")]
    [InlineData("v0.10.2", "0.10.2")]
    [InlineData("v1.4.1", "1.4.1")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("latest", null)]
    public void The_storage_version_tag_is_read_as_a_version(string? tag, string? expected) =>
        Assert.Equal(expected is null ? null : Version.Parse(expected), DuckDbFileFormat.ParseStorageVersion(tag));

    /// <summary>Enough spans with distinct long attributes (and logs) that DuckDB compresses them; returns one of the spans.</summary>
    private static async Task<SpanRecord> WriteAndCloseAsync(string folder)
    {
        var spans = new List<SpanRecord>();
        var logs = new List<LogRecord>();
        for (var i = 0; i < 4_000; i++)
        {
            var span = Records.Span(Records.NewTraceId(), "POST /orders", 1_000_000L * i, attributes:
            [
                new("url.full", $"https://shop.example.com/orders/o-{i}?customer=c-{i % 97}&currency=EUR"),
                new("aws.request_id", Guid.NewGuid().ToString()),
                new("http.response.status_code", 200L + i % 3),
            ]);
            spans.Add(span);
            logs.Add(Records.Log(span.TraceId, span.SpanId, span.StartTimeUnixNano + 10, $"order o-{i} confirmed for customer c-{i % 97}"));
        }
        await using (var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
            await store.WriteAsync([new TelemetryBatch(spans, logs)], Ct);
        return spans[1234];
    }

    /// <summary>The compressions of a column's string segments after a checkpoint.</summary>
    private static string[] Compressions(string folder, string table, string column)
    {
        using var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(folder, DuckDbStoreOptions.FileName)));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CHECKPOINT";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT DISTINCT compression FROM pragma_storage_info('{table}') WHERE column_name = '{column}' AND segment_type = 'VARCHAR' ORDER BY 1";
        using var reader = command.ExecuteReader();
        var found = new List<string>();
        while (reader.Read())
            found.Add(reader.GetString(0));
        return [.. found];
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
}
