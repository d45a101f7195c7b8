using System.Text.Json.Nodes;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>Called synchronously by process-payment: a score from the amount; very large payments are declined.</summary>
internal static class FraudCheck
{
    public const decimal Limit = 5_000m;

    public static FunctionDefinition Definition() => new(DemoNames.FraudCheck, (input, _) =>
    {
        var amount = input?["amount"]?.GetValue<decimal>() ?? 0m;
        var score = (int)Math.Min(99, amount / Limit * 100);
        return Task.FromResult<JsonNode?>(new JsonObject { ["allow"] = amount < Limit, ["score"] = score });
    }) { MemoryMb = 256, Timeout = TimeSpan.FromSeconds(2) };
}
