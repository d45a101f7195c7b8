using System.Diagnostics.CodeAnalysis;
using Threadline.Tracer;
using Threadline.Tracer.Diagnostics;

/// <summary>
/// Optional: with <c>DOTNET_STARTUP_HOOKS=/var/task/Threadline.Tracer.dll</c> the hooks are installed before the
/// function's own code runs, so AWS clients created in static fields or constructors (before the first traced
/// invocation) are covered too. The runtime looks this type up by name: no namespace.
/// </summary>
[SuppressMessage("Design", "CA1050", Justification = "The .NET startup hook contract requires a type named StartupHook in no namespace.")]
internal static class StartupHook
{
    public static void Initialize() => Guard.Run("startup-hook", () =>
    {
        var options = ThreadlineOptions.FromEnvironment();
        if (options.Enabled)
            GlobalHooks.Install(options);
    });
}
