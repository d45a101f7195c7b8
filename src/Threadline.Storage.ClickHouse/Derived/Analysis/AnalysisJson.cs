using System.Text.Json;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>The nested parts of an analyzed invocation (failure, records, ranges, keys) as JSON text columns.</summary>
internal static class AnalysisJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored analysis JSON '{json}' is null.");

    public static FailureRow? ReadFailure(string? json) => string.IsNullOrEmpty(json) ? null : Read<FailureRow>(json);
}
