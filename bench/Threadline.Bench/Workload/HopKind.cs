namespace Threadline.Bench.Workload;

/// <summary>How one invocation causes the next: the sync and async hops of docs/correlation-attributes.md.</summary>
internal enum HopKind
{
    Http,
    Invoke,
    Sqs,
    Sns,
    EventBridge,
    DynamoDb,
    Kinesis,
    S3,
}

internal static class HopKinds
{
    /// <summary>Weighted so that queues dominate, as in typical serverless applications.</summary>
    private static readonly (HopKind Kind, int Weight)[] Weights =
    [
        (HopKind.Http, 12), (HopKind.Invoke, 8), (HopKind.Sqs, 28), (HopKind.Sns, 14),
        (HopKind.EventBridge, 12), (HopKind.DynamoDb, 10), (HopKind.Kinesis, 8), (HopKind.S3, 8),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    public static HopKind Pick(Random random)
    {
        var roll = random.Next(TotalWeight);
        foreach (var (kind, weight) in Weights)
        {
            if (roll < weight)
                return kind;
            roll -= weight;
        }
        return HopKind.Sqs;
    }

    public static bool IsSync(this HopKind kind) => kind is HopKind.Http or HopKind.Invoke;
}
