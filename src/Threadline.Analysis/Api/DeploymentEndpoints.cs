using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Deployments;
using Threadline.Analysis.Ingest;
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

    private static IResult List(string? function, AnalysisState state, DeploymentHistory history) =>
        TypedResults.Ok(state.Read(view => Judge(view, history).Where(d => function is null || d.Function == function).ToList()));

    private static IResult Record(RecordDeploymentRequest? body, AnalysisState state, DeploymentLog log, DeploymentHistory history, AnalysisOptions options)
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
        var recorded = state.Read(view => Judge(view, history).Last(d => d.Function == body.Function && d.Version == body.Version && d.Source == "recorded"));
        return TypedResults.Created($"/api/deployments?function={Uri.EscapeDataString(body.Function!)}", recorded);
    }

    private static List<DeploymentResponse> Judge(IAnalysisView view, DeploymentHistory history) =>
        [.. history.Judge(view).Select(j => new DeploymentResponse(j.Deployment.Function, j.Deployment.Version, j.Deployment.Time, j.Verdict.Text,
            j.Deployment.PreviousVersion, j.Deployment.Recorded ? "recorded" : "detected", j.Deployment.Rollback,
            new ComparisonResponse(j.Verdict.ErrorsPerHourBefore, j.Verdict.ErrorsPerHourAfter, j.Verdict.P95MsBefore, j.Verdict.P95MsAfter,
                j.Verdict.InvocationsBefore, j.Verdict.InvocationsAfter, j.Verdict.FixedIssues, j.Verdict.NewIssues)))];
}
