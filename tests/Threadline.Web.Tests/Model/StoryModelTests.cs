using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class StoryModelTests
{
    [Fact]
    public void The_story_tells_each_trigger_call_and_failure_in_time_order()
    {
        var story = StoryModel.Of(PaymentExample.Transaction(), PaymentExample.Spans);

        Assert.Equal(
        [
            "process-payment received POST /payments (apigateway)",
            "process-payment called POST api.paypal.test (180 ms)",
            "process-payment called SQS.SendMessage (10 ms)",
            "notify received payments-queue (sqs)",
            "notify called DynamoDB.PutItem (30 ms)",
            "send-email received payments (dynamodb)",
            "send-email called POST api.twilio.test (80 ms) — failed: HTTP 400",
            "send-email failed: Twilio 400 template not found",
        ], story.Select(l => l.Text));
        Assert.Equal([0, 10, 200, 500, 510, 800, 820, 1000], story.Select(l => l.OffsetMs));
    }

    [Fact]
    public void Only_the_failed_call_and_the_failed_invocation_are_marked_failed_and_each_line_points_at_its_invocation()
    {
        var story = StoryModel.Of(PaymentExample.Transaction(), PaymentExample.Spans);

        Assert.Equal(["send-email called POST api.twilio.test (80 ms) — failed: HTTP 400", "send-email failed: Twilio 400 template not found"],
            story.Where(l => l.Failed).Select(l => l.Text));
        Assert.All(story.Where(l => l.Text.StartsWith("notify", StringComparison.Ordinal)), l => Assert.Equal(PaymentExample.Notify.Id.ToString(), l.Invocation));
        Assert.Equal("0000000000000015", story.Single(l => l.Text.Contains("twilio", StringComparison.Ordinal)).SpanId);
    }

    [Fact]
    public void A_cold_start_and_an_unknown_trigger_are_told()
    {
        var invocation = Build.Invocation(1, 1, "lonely", 0, 10, new Threadline.Stitching.Trigger(null, null)) with { ColdStart = true };
        var story = StoryModel.Of(Build.Transaction([invocation], []), []);

        Assert.Equal("lonely received a call (cold start)", Assert.Single(story).Text);
    }

    [Fact]
    public void A_batch_consumer_says_what_became_of_the_transactions_own_record()
    {
        var results = new Dictionary<string, Threadline.Analysis.Batches.DeliveryResult>
        {
            [PaymentExample.Notify.Id.ToString()] = Threadline.Analysis.Batches.DeliveryResult.Succeeded,
            [PaymentExample.Mail.Id.ToString()] = Threadline.Analysis.Batches.DeliveryResult.RetriedForOthers,
        };
        var story = StoryModel.Of(PaymentExample.Transaction(), PaymentExample.Spans, results);

        Assert.Equal("notify received payments-queue (sqs) — this transaction's record succeeded", story[3].Text);
        Assert.Equal("send-email received payments (dynamodb) — this transaction's record is delayed: a batch-mate failed", story[5].Text);
        Assert.False(story[5].Failed);

        results[PaymentExample.Mail.Id.ToString()] = Threadline.Analysis.Batches.DeliveryResult.Failed;
        var failed = StoryModel.Of(PaymentExample.Transaction(), PaymentExample.Spans, results)[5];
        Assert.Equal(("send-email received payments (dynamodb) — this transaction's record failed", true), (failed.Text, failed.Failed));
    }
}
