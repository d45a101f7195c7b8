using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FluentUI.AspNetCore.Components;
using Threadline.Server;
using Threadline.Web.Components;
using Threadline.Web.Data;

namespace Threadline.Web;

/// <summary>
/// The web UI (<c>docs/ui.md</c>): Blazor interactive server components with Fluent UI, at <c>/</c> on the API
/// listener. Pages read the stitcher and the store directly from DI.
/// </summary>
public sealed class WebModule : IServerModule
{
    public void ConfigureServices(IServiceCollection services, ThreadlineServerOptions options)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddSingleton<TransactionReader>();
        services.AddSingleton<AnalysisReader>();
        services.TryAddSingleton(TimeProvider.System);
    }

    public IEndpointConventionBuilder MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        StaticAssets.Serve(app);
        app.UseAntiforgery();
        return new CompositeConventions(
            StaticAssets.Map(app),
            app.MapRazorComponents<App>().AddInteractiveServerRenderMode());
    }
}
