using Threadline.Stitching;
using Threadline.Telemetry;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class TransactionPageModelTests
{
    private static readonly IReadOnlyList<TransactionSummary> Summaries = [.. Enumerable.Range(0, 120).Select(i =>
        new TransactionSummary($"{i:x32}-{i:x16}", default, new TransactionEntry("apigateway", i % 3 == 0 ? "lunchbot" : "process-payment", "POST /payments"),
            Build.At(-i), 12.5, i % 10 == 0 ? StatusCode.Error : StatusCode.Ok, 3, i % 10 == 0 ? 1 : 0))];

    [Fact]
    public void Pages_are_cut_on_the_server_and_the_page_number_is_clamped()
    {
        var second = TransactionPage.Of(Summaries, new TransactionQuery { Page = 2 });
        var beyond = TransactionPage.Of(Summaries, new TransactionQuery { Page = 9 });

        Assert.Equal((2, 3, 120, 50), (second.Page, second.PageCount, second.Total, second.Rows.Count));
        Assert.Equal(Summaries[50].Id, second.Rows[0].Id);
        Assert.Equal((3, 20), (beyond.Page, beyond.Rows.Count));
    }

    [Fact]
    public void Free_text_matches_the_entry_the_id_or_the_status()
    {
        Assert.Equal(40, TransactionPage.Of(Summaries, new TransactionQuery { Text = "LUNCHBOT" }).Total);
        Assert.Equal(12, TransactionPage.Of(Summaries, new TransactionQuery { Text = "error" }).Total);
        Assert.Equal(Summaries[7].Id, Assert.Single(TransactionPage.Of(Summaries, new TransactionQuery { Text = Summaries[7].Id }).Rows).Id);
        Assert.Equal((0, 1), (TransactionPage.Of(Summaries, new TransactionQuery { Text = "nothing like it" }).Total, 1));
    }

    [Fact]
    public void A_row_reads_its_entry_start_and_duration()
    {
        var row = TransactionPage.Of(Summaries, new TransactionQuery()).Rows[0];

        Assert.Equal(("POST /payments → lunchbot", "apigateway", "12.5 ms", "error"), (row.Entry, row.EntryKind, row.DurationText, row.Status));
        Assert.Equal("2027-01-15 08:00:00.000", row.StartText);
    }

    [Fact]
    public void Time_ranges_end_now()
    {
        var now = DateTimeOffset.UnixEpoch.AddHours(2);

        Assert.Equal(3_600_000_000_000, TimeRanges.From("1h", now));
        Assert.Null(TimeRanges.From("all", now));
        Assert.Null(TimeRanges.From(null, now));
    }
}
