using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse;

/// <summary>The DDL of schema version 1 for a given server: the plain form on 18.16, codecs and skip indexes from 20.3.</summary>
internal static class ClickHouseSchema
{
    public const int Version = 1;

    private static readonly string Template = EmbeddedSql.Load("schema.sql");

    public static IReadOnlyList<string> Statements(ClickHouseVersion server)
    {
        var modern = server.HasModernSchemaFeatures;
        var sql = Template
            .Replace("{text}", modern ? "LowCardinality(String)" : "String", StringComparison.Ordinal)
            .Replace("{codec_time}", modern ? "CODEC(Delta, ZSTD(1))" : "", StringComparison.Ordinal)
            .Replace("{codec_number}", modern ? "CODEC(T64, ZSTD(1))" : "", StringComparison.Ordinal)
            .Replace("{codec_text}", modern ? "CODEC(ZSTD(3))" : "", StringComparison.Ordinal)
            .Replace("{span_indexes}", modern ? ",\n    INDEX commit_seq_range commit_seq TYPE minmax GRANULARITY 1" : "", StringComparison.Ordinal)
            .Replace("{log_indexes}", modern
                ? ",\n    INDEX commit_seq_range commit_seq TYPE minmax GRANULARITY 1,\n    INDEX trace_lo_bloom trace_lo TYPE bloom_filter(0.01) GRANULARITY 1"
                : "", StringComparison.Ordinal);
        return EmbeddedSql.Split(sql);
    }
}
