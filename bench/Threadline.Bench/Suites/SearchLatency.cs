using System.Globalization;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;

namespace Threadline.Bench.Suites;

/// <summary>
/// Issue 16's search targets on a preloaded store, through the HTTP API: a field filter over the data's 24 hours, free
/// text over the payloads of one random hour, the facets of a filter over 24 hours, and the query box's autocomplete.
/// </summary>
internal static class SearchLatency
{
    private static readonly string[] Functions =
        [.. FunctionCatalog.Entries.Concat(FunctionCatalog.Workers).Select(f => f.Name)];

    public static async Task MeasureAsync(HttpClient http, BenchSettings settings, string label, string text, WorkloadOptions options,
        bool isTarget, string? note, Results results)
    {
        var random = new Random(6);
        var day = (long)TimeSpan.FromHours(24).TotalNanoseconds;
        var hour = (long)TimeSpan.FromHours(1).TotalNanoseconds;
        var from = options.StartUnixNano;
        var to = from + day;
        var range = Range(from, to);

        // Two filters a user types at 2 a.m.: a function's errors, and its slow invocations.
        var (field, _) = await QuerySuite.TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () =>
        {
            var function = Functions[random.Next(Functions.Length)];
            var filter = random.Next(2) == 0 ? $"function:{function} status:error" : $"function:{function} duration>500ms";
            return $"/api/search?q={Uri.EscapeDataString(filter)}&{range}&limit=50";
        });
        QuerySuite.Add(results, label, text, "search_field", "search, field filter over 24 h", field, isTarget ? 300 : null, note);

        // An order id (the generator's o-0 … o-999999) in the payloads and log lines of a random hour: most hours hold
        // none of a given id, so the answer is the whole hour's text searched.
        var (freeText, _) = await QuerySuite.TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () =>
        {
            var start = from + (long)(random.NextDouble() * (day - hour));
            var phrase = string.Create(CultureInfo.InvariantCulture, $"\"o-{random.Next(1_000_000)}\"");
            return $"/api/search?q={Uri.EscapeDataString(phrase)}&{Range(start, start + hour)}&limit=50";
        });
        QuerySuite.Add(results, label, text, "search_text", "search, free text over payloads, 1 h", freeText, isTarget ? 1000 : null, note);

        var (facets, _) = await QuerySuite.TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () =>
        {
            var filter = random.Next(2) == 0 ? "status:error" : $"function:{Functions[random.Next(Functions.Length)]}";
            return $"/api/search/facets?q={Uri.EscapeDataString(filter)}&{range}";
        });
        QuerySuite.Add(results, label, text, "search_facets", "search, facets over 24 h", facets, isTarget ? 500 : null, note);

        // What the query box asks as a function name is typed: one to three letters after "function:".
        var (complete, _) = await QuerySuite.TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () =>
        {
            var function = Functions[random.Next(Functions.Length)];
            var typed = "function:" + function[..random.Next(1, 4)];
            return $"/api/search/complete?q={Uri.EscapeDataString(typed)}&{range}";
        });
        QuerySuite.Add(results, label, text, "search_complete", "search, autocomplete", complete, isTarget ? 100 : null, note);
    }

    private static string Range(long from, long to) => string.Create(CultureInfo.InvariantCulture, $"from={from}&to={to}");
}
