using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class TraceViewTests
{
    [Fact]
    public void A_trace_puts_its_invocations_spans_on_one_timeline_and_rows_lead_to_their_transaction()
    {
        var payment = PaymentExample.Payment;
        var notify = PaymentExample.Notify;
        var spans = PaymentExample.Spans.Where(s => s.TraceId == PaymentExample.Trace1).ToList();
        var transactionsOf = new Dictionary<string, IReadOnlyList<string>> { [payment.Id.ToString()] = ["tx-1"], [notify.Id.ToString()] = ["tx-1", "tx-2"] };

        var view = TraceView.Of("0a", [notify, payment], [Build.Hop(payment, notify, Threadline.Stitching.HopKind.Async, "sqs", "payments-queue")], spans, transactionsOf);

        Assert.Equal([payment.Id, notify.Id], view.Invocations.Select(i => i.Id));
        Assert.Equal(5, view.Timeline.Rows.Count);
        Assert.Equal(0, view.UnplacedSpans);
        Assert.Equal(["tx-1", "tx-2"], view.TransactionIds);
        var dbRow = view.Timeline.Rows.Single(r => r.Name == "DynamoDB.PutItem");
        Assert.Equal($"/transactions/tx-1?invocation={Uri.EscapeDataString(notify.Id.ToString())}&span={dbRow.SpanId}", view.RowLink(dbRow));
        Assert.True(view.Timeline.Rows.Single(r => r.IsInvocation && r.Function == "notify").Critical);
    }

    [Fact]
    public void Spans_of_no_invocation_are_counted_and_a_row_outside_any_transaction_has_no_link()
    {
        var spans = PaymentExample.Spans.Where(s => s.TraceId == PaymentExample.Trace2).ToList();

        var view = TraceView.Of("0b", [PaymentExample.Mail], [], spans, new Dictionary<string, IReadOnlyList<string>>());

        Assert.Equal(1, view.UnplacedSpans); // "another transaction's span" belongs to no invocation given
        Assert.True(view.Failed);
        Assert.Null(view.RowLink(view.Timeline.Rows[0]));
    }
}
