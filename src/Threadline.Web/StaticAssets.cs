using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.Routing;

namespace Threadline.Web;

/// <summary>
/// Serves the UI's static files (its wwwroot, the copied npm libraries, Fluent UI's files, the scoped CSS bundle)
/// from the build output. The build writes two manifests of this project next to the executable:
/// <c>Threadline.Web.staticwebassets.runtime.json</c> (where each file is) and
/// <c>Threadline.Web.staticwebassets.endpoints.json</c> (the routes, with fingerprints and compressed variants).
/// ASP.NET Core reads the first only in Development, so the module loads it in every environment, then maps the
/// second with <c>MapStaticAssets</c>.
/// </summary>
internal static class StaticAssets
{
    private const string Project = "Threadline.Web";

    public static void Serve(WebApplication app)
    {
        var runtimeManifest = Path.Combine(AppContext.BaseDirectory, $"{Project}.staticwebassets.runtime.json");
        if (File.Exists(runtimeManifest))
        {
            // Not published: the files stay where the build found them (wwwroot, obj, the NuGet cache).
            app.Configuration[WebHostDefaults.StaticWebAssetsKey] = runtimeManifest;
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        }
        app.Environment.WebRootFileProvider = new ModulesManifestAlias(app.Environment.WebRootFileProvider, app.Environment.ApplicationName, Project);
    }

    public static IEndpointConventionBuilder Map(WebApplication app) =>
        app.MapStaticAssets(Path.Combine(AppContext.BaseDirectory, $"{Project}.staticwebassets.endpoints.json"));
}
