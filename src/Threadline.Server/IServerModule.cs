namespace Threadline.Server;

/// <summary>
/// A part of the server that lives in its own project (the web UI, analysis): it adds its services and maps its
/// endpoints on the API listener. The executable
/// (<c>src/Threadline</c>) lists the ones the product runs.
/// </summary>
public interface IServerModule
{
    void ConfigureServices(IServiceCollection services, ThreadlineServerOptions options);

    /// <summary>Maps the module's endpoints; the returned conventions are served on the API listener.</summary>
    IEndpointConventionBuilder MapEndpoints(WebApplication app);

    /// <summary>Runs after the store is open and the stitcher rebuilt, before the listeners start.</summary>
    Task StartAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;
}
