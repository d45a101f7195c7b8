using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>EventBridge events; the scheduler's <c>aws.events</c> / <c>Scheduled Event</c> is a schedule trigger.</summary>
internal static class EventBridgeTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var source = root.Str("source");
        var isSchedule = root.Str("detail-type") == "Scheduled Event" && source is "aws.events" or "aws.scheduler";
        var builder = isSchedule
            ? new TriggerBuilder(TriggerKinds.Schedule, TriggerKinds.Timer)
            {
                Resource = CorrelationKeys.LastSegment(root.Array("resources").Select(r => r.GetString()).FirstOrDefault()),
            }
            : new TriggerBuilder(TriggerKinds.EventBridge, TriggerKinds.PubSub) { Resource = source };
        if (root.Str("id") is { } id)
            builder.Key(CorrelationKeys.Event(id));
        return builder.Build();
    }
}
