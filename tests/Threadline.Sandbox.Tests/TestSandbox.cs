namespace Threadline.Sandbox.Tests;

internal static class TestSandbox
{
    /// <summary>How long a test waits for an asynchronous delivery before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static Task<SandboxHost> StartAsync(SandboxOptions? options = null) =>
        SandboxHost.StartAsync(options, TestContext.Current.CancellationToken);
}
