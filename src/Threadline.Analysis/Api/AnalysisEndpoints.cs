using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Threadline.Analysis.Api;

internal static class AnalysisEndpoints
{
    public static RouteGroupBuilder MapAnalysisApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapIssueApi();
        api.MapDeploymentApi();
        api.MapFunctionApi();
        api.MapAlertApi();
        api.MapSearchApi();
        return api;
    }
}
