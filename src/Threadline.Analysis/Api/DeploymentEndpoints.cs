using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Deployments;
using Threadline.Server.Api.Contracts;

namespace Threadline.Analysis.Api;

/// <summary>Deployments, detected from versions or recorded, each with its before/after verdict.</summary>
internal static class DeploymentEndpoints
{
    public static void MapDeploymentApi(this RouteGroupBuilder api)
    {
        api.MapGet("/deployments", List)
            .WithName("ListDeployments").WithSummary("Deployments, oldest first, with their verdict. function: only that function's.")
            .Produces<List<DeploymentResponse>>();
        api.MapPost("/deployments", Record)
            .WithName("RecordDeployment").WithSummary("Records a deployment: {function, version, time?} (time: ISO 8601 or Unix nanoseconds; default now).")
            .Produces<DeploymentResponse>(StatusCodes.Status201Created).Produces<ApiError>(StatusCodes.Status400BadRequest);
    }

    private static IResult List(string? function, AnalysisQueries analysis) => TypedResults.Ok(analysis.Deployments(function));

    private static IResult Record(RecordDeploymentRequest? body, AnalysisQueries analysis, DeploymentLog log, AnalysisOptions options)
    {
        var errors = new List<string>();
        if (body is null)
            return TypedResults.BadRequest(new ApiError("A JSON body {function, version, time?} is required."));
        if (string.IsNullOrWhiteSpace(body.Function))
            errors.Add("function is required.");
        if (string.IsNullOrWhiteSpace(body.Version))
            errors.Add("version is required.");
        var time = QueryParsing.Time(body.Time, "time", errors);
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        log.Record(body.Function!, body.Version!, time ?? options.Time.GetUtcNow());
        var recorded = analysis.Deployments(body.Function).Last(d => d.Version == body.Version && d.Source == "recorded");
        return TypedResults.Created($"/api/deployments?function={Uri.EscapeDataString(body.Function!)}", recorded);
    }
}
