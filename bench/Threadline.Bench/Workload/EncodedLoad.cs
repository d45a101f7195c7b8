using Google.Protobuf;

namespace Threadline.Bench.Workload;

/// <summary>One OTLP/HTTP request, encoded before the timed part so the generator's CPU stays out of the way.</summary>
internal sealed record EncodedRequest(string Path, byte[] Body, int Spans, int Logs);

/// <summary>A whole load: the requests in send order and a sample of what they hold.</summary>
internal sealed class EncodedLoad
{
    public List<EncodedRequest> Requests { get; } = [];
    public long Spans { get; private set; }
    public long Logs { get; private set; }
    public long Bytes { get; private set; }
    public int Transactions { get; private set; }
    public IdSample Sample { get; } = new(2000, 17);

    public static EncodedLoad Build(WorkloadOptions options, long spans)
    {
        var load = new EncodedLoad();
        OtlpBatcher.Produce(options, spans,
            (request, count) => load.Add(new EncodedRequest("/v1/traces", request.ToByteArray(), count, 0)),
            (request, count) => load.Add(new EncodedRequest("/v1/logs", request.ToByteArray(), 0, count)),
            transaction =>
            {
                load.Transactions++;
                load.Sample.Offer(transaction);
            });
        return load;
    }

    /// <summary>The first requests of this load, up to about <paramref name="spans"/> spans (and the logs sent among them).</summary>
    public EncodedLoad Prefix(long spans)
    {
        var prefix = new EncodedLoad();
        foreach (var request in Requests)
        {
            if (prefix.Spans >= spans)
                break;
            prefix.Add(request);
        }
        return prefix;
    }

    private void Add(EncodedRequest request)
    {
        Requests.Add(request);
        Spans += request.Spans;
        Logs += request.Logs;
        Bytes += request.Body.Length;
    }
}
