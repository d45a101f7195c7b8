using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>Consumes the clickstream in batches: counts events per user and sends the counts to the analytics API.</summary>
internal static class Aggregate
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.Aggregate, () =>
    {
        var analytics = new HttpClient { BaseAddress = demo.ThirdParties.Analytics };
        return async (input, _) =>
        {
            var perUser = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var record in input?["Records"]?.AsArray() ?? [])
            {
                var data = Encoding.UTF8.GetString(Convert.FromBase64String(record!["kinesis"]!["data"]!.GetValue<string>()));
                var userId = JsonNode.Parse(data)?["userId"]?.GetValue<string>() ?? "anonymous";
                perUser[userId] = perUser.GetValueOrDefault(userId) + 1;
            }
            var counts = new JsonObject(perUser.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            using var response = await analytics.PostAsJsonAsync("v1/ingest", new JsonObject { ["clicks"] = counts }).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return new JsonObject { ["users"] = perUser.Count };
        };
    }) { MemoryMb = 256, Timeout = Timeout };
}
