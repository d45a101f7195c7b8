using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Threadline.Bench.Load;

/// <summary>
/// Sends pre-encoded OTLP/HTTP requests over several connections, as fast as the receiver accepts them or at
/// a fixed span rate. A 503/429 is retried after a short pause (the receiver's Retry-After is 1 s, which
/// would measure our patience, not its capacity); anything else that is not a 2xx counts as a failure.
/// </summary>
internal static class LoadSender
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    /// <param name="duration">When set, the requests are sent over and over until this much time has passed (a warm-up).</param>
    public static async Task<LoadResult> SendAsync(Uri baseUri, IReadOnlyList<Workload.EncodedRequest> requests, int connections,
        double spansPerSecond, CancellationToken cancellationToken, TimeSpan? duration = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        var schedule = Schedule(requests, spansPerSecond);
        var next = -1;
        long retries = 0, failures = 0, spans = 0, logs = 0;
        string? firstFailure = null;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (duration is { } limit ? clock.Elapsed >= limit : index >= requests.Count)
                    return;
                index %= requests.Count;
                var request = requests[index];
                if (schedule is not null && duration is null && schedule[index] > clock.Elapsed)
                    await Task.Delay(schedule[index] - clock.Elapsed, cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    using var content = new ByteArrayContent(request.Body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    using var response = await http.PostAsync(request.Path, content, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref spans, request.Spans);
                        Interlocked.Add(ref logs, request.Logs);
                        break;
                    }
                    if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    if (Interlocked.Increment(ref failures) == 1)
                        firstFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}";
                    break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkerAsync, cancellationToken))).ConfigureAwait(false);
        return new LoadResult(clock.Elapsed, spans, logs, retries, failures, firstFailure);
    }

    /// <summary>When each request is due at a fixed rate (null: as fast as accepted).</summary>
    private static TimeSpan[]? Schedule(IReadOnlyList<Workload.EncodedRequest> requests, double spansPerSecond)
    {
        if (spansPerSecond <= 0)
            return null;
        var due = new TimeSpan[requests.Count];
        long sent = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            due[i] = TimeSpan.FromSeconds(sent / spansPerSecond);
            sent += Math.Max(requests[i].Spans, 1);
        }
        return due;
    }
}

internal sealed record LoadResult(TimeSpan Elapsed, long Spans, long Logs, long Retries, long Failures, string? FirstFailure)
{
    public double SpansPerSecond => Spans / Elapsed.TotalSeconds;
}
