using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class TimelineModelTests
{
    [Fact]
    public void Rows_are_the_transactions_spans_in_start_order_on_one_axis()
    {
        var timeline = TimelineModel.Of(PaymentExample.Transaction(), PaymentExample.Spans);

        Assert.Equal(["process-payment", "POST api.paypal.test", "SQS.SendMessage", "notify", "DynamoDB.PutItem", "send-email", "POST api.twilio.test"],
            timeline.Rows.Select(r => r.Name));
        Assert.Equal(1000, timeline.TotalMs, 6);
        var notify = timeline.Rows.Single(r => r.Name == "notify");
        Assert.Equal((50, 10), (notify.LeftPercent, notify.WidthPercent), new ToleranceComparer(1e-9));
        var mail = timeline.Rows.Single(r => r.Name == "send-email");
        Assert.Equal((80, 20), (mail.LeftPercent, mail.WidthPercent), new ToleranceComparer(1e-9));
    }

    [Fact]
    public void Invocation_spans_are_at_depth_zero_and_their_calls_below_them_and_failures_are_marked()
    {
        var timeline = TimelineModel.Of(PaymentExample.Transaction(), PaymentExample.Spans);

        Assert.Equal([0, 1, 1, 0, 1, 0, 1], timeline.Rows.Select(r => r.Depth));
        Assert.Equal(["process-payment", "notify", "send-email"], timeline.Rows.Where(r => r.IsInvocation).Select(r => r.Function));
        Assert.Equal(["POST api.twilio.test"], timeline.Rows.Where(r => r.Failed).Select(r => r.Name));
        Assert.Equal(PaymentExample.Mail.Id.ToString(), timeline.Rows.Single(r => r.Name == "POST api.twilio.test").Invocation);
    }

    [Fact]
    public void A_transaction_without_stored_spans_has_an_empty_timeline()
    {
        var timeline = TimelineModel.Of(PaymentExample.Transaction(), []);

        Assert.Empty(timeline.Rows);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
