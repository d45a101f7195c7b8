using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>DynamoDB Streams batches: hashed <c>dynamodb.Keys</c> per record and its approximate creation time.</summary>
internal static class DynamoDbTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var builder = new TriggerBuilder(TriggerKinds.DynamoDb, TriggerKinds.DataSource);
        foreach (var record in root.Array("Records"))
        {
            var table = CorrelationKeys.ArnResource(record.Str("eventSourceARN"), ":table/");
            builder.Resource ??= table;
            var keys = record.Path("dynamodb", "Keys");
            var pairs = keys is { } k ? DynamoDbItemHash.Pairs(k) : null;
            if (table is null || pairs is null)
                continue;
            builder.Key(CorrelationKeys.DynamoDbItem(table, pairs));
            var seconds = record.Number("dynamodb", "ApproximateCreationDateTime") ?? 0;
            builder.Time((long)Math.Round(seconds * 1000));
        }
        return builder.Build();
    }
}
