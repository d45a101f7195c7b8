using Threadline.Demo.Functions;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Tests;

/// <summary>
/// The end-to-end test of issue 5: the demo scenario for a short seeded run; Threadline's API then shows a failed
/// payment of a VIP user as one transaction from <c>POST /payments</c> to send-email, with the Twilio-like API's
/// error and every hop linked; and the lunch bot's flow, and every phase of the scenario.
/// </summary>
public sealed class DemoScenarioTests(DemoRun run) : IClassFixture<DemoRun>
{
    private static readonly (string From, string To, string Kind, string Service, string? Resource, string Via)[] PaymentHops =
    [
        (DemoNames.ProcessPayment, DemoNames.FraudCheck, "sync", "lambda", DemoNames.FraudCheck, "lambda.requestId"),
        (DemoNames.ProcessPayment, DemoNames.Notify, "async", "sqs", DemoNames.PaymentsQueue, "sqs.messageId"),
        (DemoNames.ProcessPayment, DemoNames.UpdateLoyalty, "async", "eventbridge", "default", "eventbridge.eventId"),
        (DemoNames.ProcessPayment, DemoNames.Aggregate, "async", "kinesis", DemoNames.ClickstreamStream, "kinesis.sequenceNumber"),
        (DemoNames.Notify, DemoNames.SendEmail, "async", "dynamodb", DemoNames.PaymentsTable, "dynamodb.key"),
        (DemoNames.Notify, DemoNames.ArchiveReceipt, "async", "s3", DemoNames.ReceiptsBucket, "s3.requestId"),
    ];

    [Fact]
    public async Task A_failed_payment_of_a_VIP_user_is_one_transaction_from_the_api_to_send_email_with_the_twilio_error_and_every_hop_linked()
    {
        // A mail batch that reported the receipt of a VIP customer whose template the provider dropped as failed.
        var failed = run.App.Sandbox.Functions.Invocations.Snapshot().FirstOrDefault(i =>
            i.FunctionName == DemoNames.SendEmail && DemoRun.RejectedReceipts(i).Any(RejectedVip));
        Assert.True(failed is not null, "no payment receipt of a VIP user failed; scenario log:\n" + run.Log + "\n" + run.Mails());
        var image = DemoRun.RejectedReceipts(failed).First(RejectedVip);
        var paymentId = image["paymentId"]!["S"]!.GetValue<string>();
        var userId = image["userId"]!["S"]!.GetValue<string>();
        Assert.Contains(run.Driver.Users, u => u.Id == userId && u.Vip);

        // Everything the payment caused has run: mails and clickstream batches to their last retry.
        var all = await run.WaitUntilAsync(log => Settled(log.Where(i => DemoRun.Concerns(i, paymentId)).ToList()));
        var trail = all.Where(i => DemoRun.Concerns(i, paymentId)).ToList();
        var entry = Assert.Single(trail, i => i.FunctionName == DemoNames.ProcessPayment);
        var expected = trail.Select(i => i.RequestId).ToHashSet();

        var list = await run.Threadline.GetAsync($"/api/transactions?requestId={entry.RequestId}");
        var id = Assert.Single(list.Items("transactions")).Str("id");
        var transaction = await run.Threadline.WaitForAsync($"/api/transactions/{id}", t =>
            expected.IsSubsetOf(t.Items("invocations").Select(i => i.Str("requestId"))));

        Assert.Equal(("apigateway", DemoNames.ProcessPayment, "POST /payments"),
            (transaction.GetProperty("entry").Str("kind"), transaction.GetProperty("entry").Str("name"), transaction.GetProperty("entry").Str("resource")));
        Assert.Equal("error", transaction.Str("status"));
        var invocations = transaction.InvocationsById();
        var mail = Assert.Single(invocations.Values, i => i.Str("requestId") == failed.RequestId);
        Assert.Equal(("send-email", "error", "dynamodb"), (mail.Str("function"), mail.Str("status"), mail.GetProperty("trigger").Str("kind")));
        Assert.Contains("records reported failed (batchItemFailures)", mail.Str("error"), StringComparison.Ordinal);

        var detail = await run.Threadline.GetAsync($"/api/invocations/{mail.Str("id")}");
        var twilio = Assert.Single(detail.Items("outgoingCalls"), c =>
            c.GetProperty("attributes").TryGetProperty("http.response.status_code", out var status) && status.GetInt32() == 400);
        Assert.Contains("/2010-04-01/Messages.json", twilio.Attribute("url.full"), StringComparison.Ordinal);
        Assert.Contains("template not found", twilio.Attribute("threadline.response"), StringComparison.Ordinal);
        Assert.Contains($"\"to\":\"{userId}@example.com\"", twilio.Attribute("threadline.request"), StringComparison.Ordinal);
        Assert.Contains(detail.GetProperty("event").Items("Records"),
            r => r.GetProperty("dynamodb").GetProperty("NewImage").GetProperty("paymentId").Str("S") == paymentId);

        Assert.Equal(PaymentHops.Order(), transaction.HopsByFunction().Distinct().Order());
        var linked = transaction.Items("hops").Select(h => h.Str("to")).ToHashSet();
        Assert.All(invocations.Values.Where(i => i.Str("requestId") != entry.RequestId), i => Assert.Contains(i.Str("id"), linked));
    }

    [Fact]
    public async Task The_send_email_issue_exposes_exactly_the_VIP_users_whose_receipts_were_rejected_as_failed()
    {
        // Wait for every send-email delivery of a rejected receipt to settle (v2 deployed, retries spent).
        var log = await run.WaitUntilAsync(l => l.Any(i => i.FunctionName == DemoNames.SendEmail && i.Version == "2" && DemoRun.FullySucceeded(i)));
        var rejected = log.Where(i => i.FunctionName == DemoNames.SendEmail).SelectMany(DemoRun.RejectedReceipts)
            .Select(r => r["userId"]!["S"]!.GetValue<string>()).ToHashSet();
        Assert.True(rejected.Count > 0, "no receipt was rejected; scenario log:\n" + run.Log + "\n" + run.Mails());
        var vips = run.Driver.Users.Where(u => u.Vip).Select(u => u.Id).ToHashSet();
        Assert.Subset(vips, rejected);

        var issues = await run.Threadline.WaitForAsync("/api/issues?function=send-email", a => a.GetArrayLength() > 0);
        var issueId = Assert.Single(issues.EnumerateArray()).Str("id");
        var issue = await run.Threadline.WaitForAsync($"/api/issues/{issueId}", i =>
            rejected.SetEquals(i.GetProperty("exposure").Items("vipUsers").Select(u => u.GetString()!)));

        // Failed users are exactly the VIPs whose receipts were rejected; their batch-mates are only delayed.
        var exposure = issue.GetProperty("exposure");
        Assert.Equal(rejected.Count, exposure.GetProperty("users").GetInt32());
        Assert.All(exposure.Items("sampleUsers"), u => Assert.Contains(u.GetString()!, vips));
        Assert.Equal(0, issue.GetProperty("failedBatchExposure").GetProperty("users").GetInt32());
        Assert.DoesNotContain(issue.GetProperty("delayedExposure").Items("sampleUsers").Select(u => u.GetString()!), rejected.Contains);
        var outcomes = issue.GetProperty("outcomes");
        Assert.True(outcomes.GetProperty("failed").GetInt32() + outcomes.GetProperty("recovered").GetInt32() >= rejected.Count, outcomes.ToString());
        Assert.Contains($"{rejected.Count} user{(rejected.Count == 1 ? "" : "s")} affected", issue.Str("impactSummary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lunch_bot_is_one_transaction_through_the_menu_api_and_the_topic_to_send_email_directly_and_through_the_queue()
    {
        var lunchbot = await run.App.Sandbox.Functions.Invocations.WaitForAsync(i => i.FunctionName == DemoNames.Lunchbot,
            ThreadlineUnderTest.Deadline, TestContext.Current.CancellationToken);
        Assert.False(lunchbot.Failed, lunchbot.Error?.ErrorMessage);
        var messageId = lunchbot.Response!["messageId"]!.GetValue<string>();
        var deliveries = await run.WaitUntilAsync(log => log.Count(i => i.FunctionName == DemoNames.SendEmail && DemoRun.Concerns(i, messageId)) == 2);
        var mails = deliveries.Where(i => i.FunctionName == DemoNames.SendEmail && DemoRun.Concerns(i, messageId)).ToList();

        var list = await run.Threadline.GetAsync($"/api/transactions?requestId={lunchbot.RequestId}");
        var id = Assert.Single(list.Items("transactions")).Str("id");
        var transaction = await run.Threadline.WaitForAsync($"/api/transactions/{id}", t => t.Items("hops").Count() >= 3);

        Assert.Equal(("schedule", DemoNames.Lunchbot), (transaction.GetProperty("entry").Str("kind"), transaction.GetProperty("entry").Str("name")));
        var invocations = transaction.InvocationsById();
        var hops = transaction.Items("hops")
            .Select(h => (invocations[h.Str("from")].Str("function"), invocations[h.Str("to")].Str("function"),
                invocations[h.Str("to")].GetProperty("trigger").Str("kind"), h.Str("kind"), h.Str("service"), h.Str("via")))
            .Order()
            .ToList();
        Assert.Equal(
            [
                (DemoNames.Lunchbot, DemoNames.Menu, "apigateway", "sync", "apigateway", "apigateway.requestId"),
                (DemoNames.Lunchbot, DemoNames.SendEmail, "sns", "async", "sns", "sns.messageId"),
                (DemoNames.Lunchbot, DemoNames.SendEmail, "sqs", "async", "sns", "sns.messageId"),
            ],
            hops);
        Assert.Equal(mails.Select(m => m.RequestId).Order(),
            invocations.Values.Where(i => i.Str("function") == DemoNames.SendEmail).Select(i => i.Str("requestId")).Order());
    }

    [Fact]
    public void Every_phase_of_the_scenario_happened()
    {
        var log = run.App.Sandbox.Functions.Invocations.Snapshot();

        void Happened(string what, Func<InvocationRecord, bool> predicate) =>
            Assert.True(log.Any(predicate), $"{what} did not happen; scenario log:\n{run.Log}\n{run.Mails()}");

        Happened("a cold start of process-payment v2", i => i.FunctionName == DemoNames.ProcessPayment && i.Version == "2" && i.ColdStart);
        Happened("a cold start of fraud-check v2", i => i.FunctionName == DemoNames.FraudCheck && i.Version == "2" && i.ColdStart);
        Happened("a timeout of aggregate", i => i.FunctionName == DemoNames.Aggregate && i.Error?.ErrorType == "Sandbox.Timedout");
        Happened("a rejected mail of send-email v1", i => i.FunctionName == DemoNames.SendEmail && i.Version == "1" && DemoRun.RejectedReceipts(i).Count > 0);
        Happened("a mail sent by send-email v2", i => i.FunctionName == DemoNames.SendEmail && i.Version == "2" && DemoRun.FullySucceeded(i));
        Assert.DoesNotContain(log, i => i.FunctionName == DemoNames.SendEmail && i.Version == "2" && !DemoRun.FullySucceeded(i));
        Assert.Contains(run.Driver.Payments, p => p.StatusCode == 403);
        Assert.All(run.Driver.Payments, p => Assert.Contains(p.StatusCode, new[] { 201, 403 }));
    }

    private static bool RejectedVip(System.Text.Json.Nodes.JsonNode image) =>
        image["vip"]?["BOOL"]?.GetValue<bool>() == true
        && SendEmail.VipTemplatesDropped.Contains($"payment-receipt-vip-{image["locale"]?["S"]?.GetValue<string>()}");

    /// <summary>A payment's invocations are final: each function ran, mails and clickstream batches to their last attempt.</summary>
    private static bool Settled(List<InvocationRecord> trail)
    {
        bool Done(string function, int attempts) =>
            trail.Any(i => i.FunctionName == function && DemoRun.FullySucceeded(i)) || trail.Count(i => i.FunctionName == function) >= attempts;
        return Done(DemoNames.ProcessPayment, 1) && Done(DemoNames.FraudCheck, 1) && Done(DemoNames.Notify, 1)
            && Done(DemoNames.ArchiveReceipt, 3) && Done(DemoNames.UpdateLoyalty, 3)
            && Done(DemoNames.SendEmail, 3) && Done(DemoNames.Aggregate, 2);
    }
}
