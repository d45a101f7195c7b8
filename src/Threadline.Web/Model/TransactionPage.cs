using System.Globalization;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>One page of the transaction list, latest first, after the free-text filter.</summary>
public sealed record TransactionPage(IReadOnlyList<TransactionRow> Rows, int Page, int PageCount, int Total)
{
    public static TransactionPage Of(IReadOnlyList<TransactionSummary> summaries, TransactionQuery query)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        ArgumentNullException.ThrowIfNull(query);
        var rows = summaries.Select(TransactionRow.Of);
        if (!string.IsNullOrWhiteSpace(query.Text))
            rows = rows.Where(r => r.Matches(query.Text.Trim()));
        var all = rows.ToList();
        var pageSize = Math.Max(1, query.PageSize);
        var pageCount = Math.Max(1, (all.Count + pageSize - 1) / pageSize);
        var page = Math.Clamp(query.Page, 1, pageCount);
        return new TransactionPage([.. all.Skip((page - 1) * pageSize).Take(pageSize)], page, pageCount, all.Count);
    }
}

/// <summary>A row of the transaction list.</summary>
public sealed record TransactionRow(string Id, string Entry, string EntryKind, DateTimeOffset Start, double DurationMs, bool Failed, int InvocationCount, int ErrorCount)
{
    public string Status => Failed ? "error" : "ok";
    public string StartText => Start.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
    public string DurationText => Format.Duration(DurationMs);

    public static TransactionRow Of(TransactionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var entry = summary.Entry.Resource is { } resource ? $"{resource} → {summary.Entry.Name}" : summary.Entry.Name;
        return new TransactionRow(summary.Id, entry, summary.Entry.Kind ?? "", Format.Time(summary.StartTimeUnixNano), summary.DurationMs,
            summary.Status == StatusCode.Error, summary.InvocationCount, summary.ErrorCount);
    }

    public bool Matches(string text) =>
        Id.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Entry.Contains(text, StringComparison.OrdinalIgnoreCase)
        || EntryKind.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Status.Equals(text, StringComparison.OrdinalIgnoreCase);
}
