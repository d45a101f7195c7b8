using System.Globalization;
using System.Text.RegularExpressions;
using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Api;

/// <summary>Query parameter checks shared by the endpoints; each problem is one sentence.</summary>
internal static partial class QueryParsing
{
    /// <summary>Unix nanoseconds or ISO 8601, like the transaction API.</summary>
    public static DateTimeOffset? Time(string? text, string name, List<string> errors)
    {
        if (text is null)
            return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var nanos))
            return Ingest.Time.FromUnixNanos(nanos);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        errors.Add($"{name} must be Unix nanoseconds or an ISO 8601 time (got '{text}').");
        return null;
    }

    public static bool IsIssueId(string id) => IssueId().IsMatch(id);

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex IssueId();
}
