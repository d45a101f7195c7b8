using System.Text.Json;

namespace Threadline.Storage.Derived.Analysis;

/// <summary>The nested parts of an analyzed invocation (failure, records, ranges, keys) as JSON text columns, alike in every backend.</summary>
public static class AnalysisJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored analysis JSON '{json}' is null.");

    public static FailureRow? ReadFailure(string? json) => string.IsNullOrEmpty(json) ? null : Read<FailureRow>(json);
}
