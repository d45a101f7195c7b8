using System.Text.Json.Nodes;
using Threadline.Demo.AwsLite.Sns;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>Scheduled: reads the shop's own <c>GET /menu</c> API and publishes the menu to the lunch topic.</summary>
internal static class Lunchbot
{
    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.Lunchbot, () =>
    {
        var api = new HttpClient { BaseAddress = demo.ShopApi };
        var sns = demo.Clients.Sns();
        return async (_, _) =>
        {
            var menu = await api.GetStringAsync(new Uri("menu", UriKind.Relative)).ConfigureAwait(false);
            var dishes = JsonNode.Parse(menu)?["dishes"]?.ToJsonString() ?? "[]";
            var published = await sns.PublishAsync(new PublishRequest
            {
                TopicArn = demo.LunchTopicArn,
                Subject = "Lunch today",
                Message = dishes,
            }).ConfigureAwait(false);
            return new JsonObject { ["messageId"] = published.MessageId };
        };
    }) { MemoryMb = 128, Timeout = TimeSpan.FromSeconds(5) };
}
