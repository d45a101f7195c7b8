using Threadline.Bench.Load;
using Threadline.Bench.Workload;

namespace Threadline.Bench;

/// <summary>The load generator on its own: encode a seeded load, then send it to any OTLP/HTTP receiver.</summary>
internal static class GenerateCommand
{
    public static async Task<int> RunAsync(Uri url, long spans, int seed, double rate, int connections, bool payloads, Uri? api)
    {
        var load = EncodedLoad.Build(WorkloadOptions.EndingNow(seed, payloads, spans, TimeSpan.FromMinutes(10)), spans);
        Console.WriteLine($"encoded {load.Spans:N0} spans, {load.Logs:N0} log records, {load.Transactions:N0} transactions in {load.Requests.Count:N0} requests ({load.Bytes / 1e6:F1} MB)");
        var result = await LoadSender.SendAsync(url, load.Requests, connections, rate, CancellationToken.None);
        Console.WriteLine($"sent {result.Spans:N0} spans in {result.Elapsed.TotalSeconds:F1} s: {result.SpansPerSecond:N0} spans/s, {result.Retries} retries, {result.Failures} failures {result.FirstFailure}");
        if (api is not null)
            await ReportIncompleteAsync(api, load);
        return result.Failures == 0 ? 0 : 1;
    }

    /// <summary>With --api: asks Threadline for every sampled transaction and lists those not stitched complete.</summary>
    private static async Task ReportIncompleteAsync(Uri api, EncodedLoad load)
    {
        using var http = new HttpClient { BaseAddress = api };
        var incomplete = 0;
        foreach (var transaction in load.Sample.Items)
        {
            using var response = await http.GetAsync($"/api/transactions/{transaction.Id}");
            var found = 0;
            if (response.IsSuccessStatusCode)
            {
                using var json = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                found = json.RootElement.GetProperty("invocations").GetArrayLength();
            }
            if (found != transaction.InvocationCount)
            {
                incomplete++;
                Console.WriteLine($"incomplete: {transaction.Id}: {found} of {transaction.InvocationCount} invocations ({(int)response.StatusCode})");
            }
        }
        Console.WriteLine($"{load.Sample.Items.Count - incomplete} of {load.Sample.Items.Count} sampled transactions stitched complete");
    }
}
