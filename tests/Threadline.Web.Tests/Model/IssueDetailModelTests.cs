using Threadline.Analysis.Api;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class IssueDetailModelTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static IssueView View(string state = "ongoing", DateTimeOffset? resolvedAt = null)
    {
        var occurrences = Enumerable.Range(0, 6).Select(i => new AnalyzedInvocation
        {
            Id = new InvocationId((UInt128)(i + 1), (ulong)(i + 1)),
            Function = "send-email",
            Failed = true,
            StartTimeUnixNano = Time.ToUnixNanos(First.AddSeconds(i < 4 ? 1 : 20)),
        }).ToList();
        var detail = new IssueDetailResponse("03f50631a9e0", "send-email | HTTP 400 | … | -", "send-email", "HTTP 400", "POST api/Messages.json answered 400",
            "outgoingCall", null, state, First.AddSeconds(1), First.AddSeconds(20), 6, 1, false, resolvedAt, null,
            "send-email fails in 4 POST /payments transactions and 2 lunchbot runs; 3 users affected (1 VIP: vip-vera)",
            [new EntryImpactResponse("POST /payments", "apigateway", "process-payment", 4), new EntryImpactResponse("lunchbot", "schedule", "lunchbot", 2),
                new EntryImpactResponse("orders", "sqs", "intake", 1)],
            new ExposureResponse(3, ["vip-vera"], ["ann", "bob", "vip-vera"]),
            [new SampleResponse(occurrences[5].Id.ToString(), "tx-1", ["tx-1"], First.AddSeconds(20), "1", true),
                new SampleResponse(occurrences[4].Id.ToString(), null, [], First.AddSeconds(20), null, false)],
            []);
        return new IssueView(detail, occurrences);
    }

    [Fact]
    public void Impact_reads_one_line_per_entry_point_with_the_entry_noun()
    {
        var model = IssueDetailModel.Of(View(), First.AddSeconds(30));

        Assert.Equal(
            ["send-email fails in 4 POST /payments transactions", "send-email fails in 2 lunchbot runs", "send-email fails in 1 orders event"],
            model.Impact.Select(l => l.Text));
        Assert.Equal("POST /payments", model.Impact[0].Entry);
    }

    [Fact]
    public void Exposure_lists_the_vips_first_and_flags_them()
    {
        var model = IssueDetailModel.Of(View(), First.AddSeconds(30));

        Assert.Equal([new ExposedUser("vip-vera", true), new ExposedUser("ann", false), new ExposedUser("bob", false)], model.ExposedUsers);
        Assert.Equal(3, model.Users);
    }

    [Fact]
    public void A_sample_links_to_its_transaction_with_the_invocation_selected_and_one_outside_any_has_no_link()
    {
        var view = View();
        var model = IssueDetailModel.Of(view, First.AddSeconds(30));

        Assert.Equal($"/transactions/tx-1?invocation={Uri.EscapeDataString(view.Occurrences[5].Id.ToString())}", model.Samples[0].Href);
        Assert.Null(model.Samples[1].Href);
    }

    [Fact]
    public void The_timeline_counts_occurrences_per_bucket_from_first_seen_to_now_and_marks_the_resolution()
    {
        var model = IssueDetailModel.Of(View("resolved", First.AddSeconds(25)), First.AddSeconds(30));

        Assert.Equal(6, model.Timeline.Series.Single().Values.Sum());
        Assert.Equal(4, model.Timeline.Series.Single().Values[0]);
        Assert.Equal(2, model.Timeline.Series.Single().Values[19]);
        Assert.Equal("resolved", Assert.Single(model.Timeline.Markers).Label);
        Assert.True(model.Resolved);
    }
}
