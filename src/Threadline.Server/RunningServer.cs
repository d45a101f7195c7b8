using Microsoft.AspNetCore.Builder;

namespace Threadline.Server;

/// <summary>A started server with the ports it actually listens on.</summary>
public sealed class RunningServer(WebApplication app, int apiPort, int otlpHttpPort, int otlpGrpcPort, string dataDirectory, int? tlsPort = null) : IAsyncDisposable
{
    public int ApiPort { get; } = apiPort;
    public int OtlpHttpPort { get; } = otlpHttpPort;
    public int OtlpGrpcPort { get; } = otlpGrpcPort;
    /// <summary>The HTTPS port serving OTLP/HTTP and <c>/api/spans</c>; null when no TLS certificate was given.</summary>
    public int? TlsPort { get; } = tlsPort;
    public string DataDirectory { get; } = dataDirectory;
    /// <summary>The X-Ray UDP port, when received.</summary>
    public int? XrayPort { get; init; }
    /// <summary>The Zipkin listener's port, when enabled.</summary>
    public int? ZipkinPort { get; init; }
    public IServiceProvider Services => app.Services;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests, lets pending writes finish, and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
