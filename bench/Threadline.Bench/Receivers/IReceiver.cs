using Threadline.Bench.Measure;

namespace Threadline.Bench.Receivers;

/// <summary>A running OTLP receiver under measurement.</summary>
internal interface IReceiver : IAsyncDisposable
{
    string Name { get; }

    ChildProcess Process { get; }

    Uri OtlpHttp { get; }
}

internal static class ReceiverReadiness
{
    /// <summary>Waits until the receiver accepts an (empty) OTLP/HTTP traces export.</summary>
    public static async Task WaitAsync(Uri otlpHttp, ChildProcess process, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = otlpHttp, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var content = new ByteArrayContent([]);
                content.Headers.ContentType = new("application/x-protobuf");
                using var response = await http.PostAsync("/v1/traces", content).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{otlpHttp} did not accept OTLP within {timeout}:\n{string.Join('\n', process.Output.TakeLast(30))}");
            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
