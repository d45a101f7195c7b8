using System.Text.Json;
using Threadline.Demo.Hosting;
using Threadline.Sandbox;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Tests;

/// <summary>A Threadline server and a sandbox whose functions are traced by the tracer, exporting to it.</summary>
public sealed class TracedSandbox : IAsyncDisposable
{
    private FunctionTracers _tracers = null!;

    public ThreadlineUnderTest Threadline { get; private set; } = null!;

    public SandboxHost Sandbox { get; private set; } = null!;

    public DemoClients Clients { get; private set; } = null!;

    public static async Task<TracedSandbox> StartAsync()
    {
        var traced = new TracedSandbox { Threadline = await ThreadlineUnderTest.StartAsync() };
        traced._tracers = new FunctionTracers(traced.Threadline.OtlpEndpoint, TimeSpan.FromMilliseconds(500));
        traced.Sandbox = await SandboxHost.StartAsync(new SandboxOptions { HandlerWrapper = traced._tracers.Wrap }, TestContext.Current.CancellationToken);
        traced.Clients = new DemoClients(traced.Sandbox.Endpoint, traced.Sandbox.Options.Region);
        return traced;
    }

    public Task<InvocationRecord> WaitForInvocationAsync(Func<InvocationRecord, bool> predicate) =>
        Sandbox.Functions.Invocations.WaitForAsync(predicate, ThreadlineUnderTest.Deadline, TestContext.Current.CancellationToken);

    /// <summary>The transaction that <paramref name="entry"/> starts, once it holds <paramref name="hops"/> hops.</summary>
    public async Task<JsonElement> TransactionOfAsync(InvocationRecord entry, int hops)
    {
        var list = await Threadline.WaitForAsync($"/api/transactions?requestId={entry.RequestId}",
            answer => answer.GetProperty("transactions").GetArrayLength() == 1);
        var id = list.GetProperty("transactions")[0].GetProperty("id").GetString();
        return await Threadline.WaitForAsync($"/api/transactions/{id}", t => t.GetProperty("hops").GetArrayLength() >= hops);
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        _tracers.Dispose();
        await Threadline.DisposeAsync();
    }
}
