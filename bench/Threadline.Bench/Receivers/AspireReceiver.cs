using Threadline.Bench.Measure;

namespace Threadline.Bench.Receivers;

/// <summary>
/// The .NET Aspire dashboard as a peer OTLP receiver: its standalone executable from the NuGet package,
/// bound to 127.0.0.1, with the frontend and OTLP endpoints unsecured (its documented settings).
/// </summary>
internal sealed class AspireReceiver : IReceiver
{
    private AspireReceiver(ChildProcess process, Uri otlpHttp)
    {
        Process = process;
        OtlpHttp = otlpHttp;
    }

    public string Name => "aspire";

    public ChildProcess Process { get; }

    public Uri OtlpHttp { get; }

    public static async Task<AspireReceiver> StartAsync(TimeSpan timeout)
    {
        var otlpHttp = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = otlpHttp.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{Ports.Free()}",
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            ["Dashboard__Frontend__AuthMode"] = "Unsecured",
            ["Dashboard__Otlp__AuthMode"] = "Unsecured",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var process = ChildProcess.Start(RepoPaths.AspireDashboard(), [], environment, "Aspire dashboard");
        try
        {
            await ReceiverReadiness.WaitAsync(otlpHttp, process, timeout).ConfigureAwait(false);
            return new AspireReceiver(process, otlpHttp);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
