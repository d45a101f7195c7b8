namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    private const long ClockSlackNanos = 1_000_000_000;

    /// <summary>Recomputes the incoming hops of one consumer from the current indexes and stores the difference.</summary>
    private void Relink(Invocation consumer, Batch batch)
    {
        var candidates = new Dictionary<InvocationId, Link>();
        foreach (var inbound in consumer.Inbound)
        {
            foreach (var producer in _state.Producers(inbound.Key))
            {
                if (producer.Invocation != consumer.Id)
                    Offer(candidates, producer.Invocation, DescribeKeyLink(consumer, inbound, producer.Key));
            }
        }
        foreach (var read in consumer.Reads)
        {
            if (NearestWrite(consumer, read) is { } write)
                Offer(candidates, write.Invocation, new Link(HopKind.Async, HopService.DynamoDb, read.Table, Via.DynamoDbKey));
        }

        var previous = _state.Incoming(consumer.Id).ToDictionary(h => h.From);
        foreach (var (from, link) in candidates)
        {
            var producer = _state.GetInvocation(from)!;
            var bothArrived = producer.FirstSeen > consumer.FirstSeen ? producer.FirstSeen : consumer.FirstSeen;
            var hop = new Hop(from, consumer.Id, link.Kind, link.Service, link.Resource, link.Via, bothArrived, batch.Now);
            if (previous.Remove(from, out var old))
            {
                if (old.SameLink(hop) && old.BothArrivedAt == bothArrived)
                    continue;
                hop = hop with { LinkedAt = old.LinkedAt };
            }
            else
            {
                batch.Linked.Add(hop);
                LagHistogram.Record(hop.StitchLag.TotalMilliseconds);
            }
            _state.PutHop(hop);
            batch.Touched.Add(from);
            batch.Touched.Add(consumer.Id);
        }
        foreach (var stale in previous.Values)
            Unlink(stale, batch);
    }

    /// <summary>
    /// The write a stream record came from: same table, its pairs include every key pair of the record, made at or
    /// before the record's time plus the clock slack and before the consumer started, not by the consumer itself;
    /// the latest such write wins (ties: lowest invocation id, then span id).
    /// </summary>
    private WriteRef? NearestWrite(Invocation consumer, DynamoRead read)
    {
        var limit = Math.Min(read.TimeUnixNano > long.MaxValue - ClockSlackNanos ? long.MaxValue : read.TimeUnixNano + ClockSlackNanos,
            consumer.StartTimeUnixNano);
        WriteRef? best = null;
        foreach (var candidate in _state.DynamoWrites(read.Table, read.Pairs[0]))
        {
            var write = candidate.Write;
            if (candidate.Invocation == consumer.Id || write.TimeUnixNano > limit || !read.Pairs.All(write.Pairs.Contains))
                continue;
            if (best is not { } current
                || write.TimeUnixNano > current.Write.TimeUnixNano
                || (write.TimeUnixNano == current.Write.TimeUnixNano
                    && (candidate.Invocation.CompareTo(current.Invocation) < 0
                        || (candidate.Invocation == current.Invocation && write.SpanId < current.Write.SpanId))))
                best = candidate;
        }
        return best;
    }

    /// <summary>Keeps, per producer, the most specific link (see <see cref="Via.Rank"/>), then the ordinal least.</summary>
    private static void Offer(Dictionary<InvocationId, Link> candidates, InvocationId producer, Link link)
    {
        if (!candidates.TryGetValue(producer, out var current) || link.CompareTo(current) < 0)
            candidates[producer] = link;
    }

    private static Link DescribeKeyLink(Invocation consumer, InboundKey inbound, OutboundKey produced)
    {
        string service;
        string? resource;
        if (CorrelationKeys.ServiceOf(inbound.Key) is { } keyService)
        {
            service = keyService;
            resource = CorrelationKeys.ResourceOf(inbound.Key) ?? (produced.AwsCall ? produced.Resource : null) ?? consumer.Trigger.Resource;
        }
        else if (produced.AwsCall && produced.Service is { } awsService)
        {
            (service, resource) = (awsService, produced.Resource ?? consumer.Trigger.Resource);
        }
        else if (ServiceOfTrigger(consumer.Trigger.Kind) is { } triggerService)
        {
            (service, resource) = (triggerService, consumer.Trigger.Resource ?? produced.Resource);
        }
        else
        {
            (service, resource) = (produced.Service ?? HopService.Http, produced.Resource ?? consumer.Trigger.Resource);
        }
        if (service == HopService.Lambda)
            resource = consumer.Function;
        var kind = service == HopService.Lambda
            ? produced.Async ? HopKind.Async : HopKind.Sync
            : HopService.IsAsync(service) ? HopKind.Async : HopKind.Sync;
        return new Link(kind, service, resource, inbound.Via);
    }

    private static string? ServiceOfTrigger(string? triggerKind) => triggerKind switch
    {
        "apigateway" or "apigatewayv2" => HopService.ApiGateway,
        "function-url" or "http" => HopService.Http,
        "invoke" => HopService.Lambda,
        "sqs" or "sns" or "kinesis" or "dynamodb" or "s3" or "eventbridge" => triggerKind,
        _ => null,
    };

    private readonly record struct Link(HopKind Kind, string Service, string? Resource, string Via) : IComparable<Link>
    {
        public int CompareTo(Link other)
        {
            var byRank = Stitching.Via.Rank(Via).CompareTo(Stitching.Via.Rank(other.Via));
            if (byRank != 0)
                return byRank;
            var byVia = string.CompareOrdinal(Via, other.Via);
            if (byVia != 0)
                return byVia;
            var byService = string.CompareOrdinal(Service, other.Service);
            if (byService != 0)
                return byService;
            var byResource = string.CompareOrdinal(Resource, other.Resource);
            return byResource != 0 ? byResource : Kind.CompareTo(other.Kind);
        }
    }
}
