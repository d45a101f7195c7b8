using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>SQS batches; a body that is an SNS envelope or an EventBridge event adds that hop's key too.</summary>
internal static class SqsTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var builder = new TriggerBuilder(TriggerKinds.Sqs, TriggerKinds.PubSub);
        foreach (var record in root.Array("Records"))
        {
            builder.Resource ??= CorrelationKeys.LastSegment(record.Str("eventSourceARN"));
            var messageId = record.Str("messageId");
            if (messageId is not null)
                builder.Key(CorrelationKeys.SqsMessage(messageId));
            if (record.Number("attributes", "ApproximateReceiveCount") > 1)
                builder.Retry = true;
            builder.TraceParent(record.Str("messageAttributes", "traceparent", "stringValue"), messageId);
            builder.XRay(record.Str("attributes", "AWSTraceHeader"), messageId);
            AddEnvelopeKey(builder, record.Str("body"), messageId);
        }
        return builder.Build();
    }

    private static void AddEnvelopeKey(TriggerBuilder builder, string? body, string? sqsMessageId)
    {
        using var nested = JsonRead.ParseNested(body);
        if (nested is null)
            return;
        var envelope = nested.RootElement;
        if (envelope.Str("Type") == "Notification" && envelope.Str("MessageId") is { } snsId)
        {
            builder.Key(CorrelationKeys.SnsMessage(snsId));
            builder.TraceParent(envelope.Str("MessageAttributes", "traceparent", "Value"), sqsMessageId);
        }
        else if (envelope.Str("detail-type") is not null && envelope.Str("source") is not null && envelope.Str("id") is { } eventId)
        {
            builder.Key(CorrelationKeys.Event(eventId));
        }
    }
}
