using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Tests.Model;

/// <summary>
/// A payment: process-payment (API) charges PayPal and sends to a queue; notify (from the queue, 200 ms later) writes
/// the payments table; send-email (from the table's stream) calls the mail API, which answers 400, and fails.
/// </summary>
internal static class PaymentExample
{
    public static readonly UInt128 Trace1 = 0x0a;
    public static readonly UInt128 Trace2 = 0x0b;

    public static readonly Invocation Payment = Build.Invocation(Trace1, 1, "process-payment", 0, 300, new Trigger("apigateway", "POST /payments"), [1, 2, 3]);
    public static readonly Invocation Notify = Build.Invocation(Trace1, 10, "notify", 500, 600, new Trigger("sqs", "payments-queue"), [10, 11]);
    public static readonly Invocation Mail = Build.Invocation(Trace2, 20, "send-email", 800, 1000, new Trigger("dynamodb", "payments"), [20, 21],
        error: "Twilio 400 template not found");

    public static readonly IReadOnlyList<SpanRecord> Spans =
    [
        // deliberately out of start order
        Build.Span(Trace2, 21, 20, "POST api.twilio.test", SpanKind.Client, 820, 900, "HTTP 400",
            new KeyValue("threadline.request", "{\"to\":\"u-42@example.com\"}"), new KeyValue("threadline.response", "{\"message\":\"template not found\"}")),
        Build.Span(Trace1, 1, 0, "process-payment", SpanKind.Server, 0, 300),
        Build.Span(Trace1, 3, 1, "SQS.SendMessage", SpanKind.Producer, 200, 210),
        Build.Span(Trace1, 2, 1, "POST api.paypal.test", SpanKind.Client, 10, 190),
        Build.Span(Trace1, 10, 0, "notify", SpanKind.Consumer, 500, 600),
        Build.Span(Trace1, 11, 10, "DynamoDB.PutItem", SpanKind.Client, 510, 540),
        Build.Span(Trace2, 20, 0, "send-email", SpanKind.Consumer, 800, 1000),
        Build.Span(Trace2, 99, 0, "another transaction's span", SpanKind.Server, 0, 5000),
    ];

    public static Transaction Transaction() => Build.Transaction([Payment, Notify, Mail],
    [
        Build.Hop(Payment, Notify, HopKind.Async, HopService.Sqs, "payments-queue"),
        Build.Hop(Notify, Mail, HopKind.Async, HopService.DynamoDb, "payments"),
    ]);
}
