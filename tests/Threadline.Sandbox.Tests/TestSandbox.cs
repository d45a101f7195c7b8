using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

internal static class TestSandbox
{
    /// <summary>How long a test waits for an asynchronous delivery before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static Task<SandboxHost> StartAsync(SandboxOptions? options = null) =>
        SandboxHost.StartAsync(options, TestContext.Current.CancellationToken);

    /// <summary>The <c>Records</c> of every invocation's event, in invocation order.</summary>
    public static List<JsonNode> Records(this IEnumerable<InvocationRecord> invocations) =>
        [.. invocations.SelectMany(i => i.Event?["Records"]?.AsArray() ?? []).OfType<JsonNode>()];

    /// <summary>Waits until the records delivered so far satisfy <paramref name="condition"/>, and returns them.</summary>
    public static async Task<List<JsonNode>> WaitForRecordsAsync(this SandboxHost sandbox, Func<List<JsonNode>, bool> condition)
    {
        var invocations = await sandbox.Functions.Invocations.WaitUntilAsync(all => condition(all.Records()), Deadline, TestContext.Current.CancellationToken);
        return invocations.Records();
    }
}
