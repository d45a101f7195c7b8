using Threadline.Stitching;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class CriticalPathTests
{
    [Fact]
    public void The_path_follows_async_hops_back_from_the_invocation_that_ended_last()
    {
        var path = CriticalPath.Of(PaymentExample.Transaction());

        Assert.Equal([PaymentExample.Payment.Id, PaymentExample.Notify.Id, PaymentExample.Mail.Id], path);
    }

    [Fact]
    public void A_branch_that_ended_earlier_is_off_the_path_and_the_latest_starting_cause_is_followed()
    {
        var entry = Build.Invocation(1, 1, "entry", 0, 100, new Trigger("apigateway", "POST /x"));
        var fast = Build.Invocation(1, 2, "fast", 10, 20, new Trigger("lambda", "fast"));
        var early = Build.Invocation(1, 3, "early-writer", 30, 40, new Trigger("sqs", "q"));
        var late = Build.Invocation(1, 4, "late-writer", 60, 70, new Trigger("sqs", "q"));
        var last = Build.Invocation(1, 5, "batch", 200, 400, new Trigger("kinesis", "s"));
        var transaction = Build.Transaction([entry, fast, early, late, last],
        [
            Build.Hop(entry, fast, HopKind.Sync, HopService.Lambda, "fast"),
            Build.Hop(entry, early, HopKind.Async, HopService.Sqs, "q"),
            Build.Hop(entry, late, HopKind.Async, HopService.Sqs, "q"),
            Build.Hop(early, last, HopKind.Async, HopService.Kinesis, "s"),
            Build.Hop(late, last, HopKind.Async, HopService.Kinesis, "s"),
        ]);

        Assert.Equal([entry.Id, late.Id, last.Id], CriticalPath.Of(transaction));
    }

    [Fact]
    public void The_timeline_marks_the_invocation_rows_of_the_path()
    {
        var timeline = TimelineModel.Of(PaymentExample.Transaction(), PaymentExample.Spans);

        Assert.Equal(["process-payment", "notify", "send-email"], timeline.Rows.Where(r => r.Critical).Select(r => r.Name));
    }
}
