using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>Kinesis batches: the shard comes from <c>eventID</c> (<c>shardId-…:seq</c>), the stream from the ARN.</summary>
internal static class KinesisTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var builder = new TriggerBuilder(TriggerKinds.Kinesis, TriggerKinds.PubSub);
        foreach (var record in root.Array("Records"))
        {
            var stream = CorrelationKeys.ArnResource(record.Str("eventSourceARN"), ":stream/");
            builder.Resource ??= stream;
            var shard = record.Str("eventID")?.Split(':')[0];
            var sequence = record.Str("kinesis", "sequenceNumber");
            if (stream is not null && shard is not null && sequence is not null)
                builder.Key(CorrelationKeys.KinesisRecord(stream, shard, sequence));
        }
        return builder.Build();
    }
}
