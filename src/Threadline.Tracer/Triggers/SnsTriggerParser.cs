using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>SNS notifications delivered to Lambda (<c>Records[].Sns</c>).</summary>
internal static class SnsTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var builder = new TriggerBuilder(TriggerKinds.Sns, TriggerKinds.PubSub);
        foreach (var record in root.Array("Records"))
        {
            builder.Resource ??= CorrelationKeys.LastSegment(record.Str("Sns", "TopicArn"));
            var messageId = record.Str("Sns", "MessageId");
            if (messageId is not null)
                builder.Key(CorrelationKeys.SnsMessage(messageId));
            builder.TraceParent(record.Str("Sns", "MessageAttributes", "traceparent", "Value"), messageId);
        }
        return builder.Build();
    }
}
