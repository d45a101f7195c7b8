using System.Text.Json.Nodes;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary><c>GET /menu</c>: today's dishes.</summary>
internal static class Menu
{
    private static readonly string[] Dishes = ["ramen", "falafel bowl", "lasagne", "pho", "caesar salad", "dal", "tacos"];

    public static FunctionDefinition Definition() => new(DemoNames.Menu, (_, _) =>
    {
        var day = DateTime.UtcNow.DayOfYear;
        var today = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)Dishes[(day + i) % Dishes.Length])]);
        return Task.FromResult<JsonNode?>(ApiResponses.Json(200, new JsonObject { ["dishes"] = today }));
    }) { MemoryMb = 128, Timeout = TimeSpan.FromSeconds(2) };
}
