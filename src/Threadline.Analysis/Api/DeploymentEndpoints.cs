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

    private static IResult List(string? function, AnalysisState state, DeploymentLog log, VerdictCalculator verdicts) =>
        TypedResults.Ok(state.Read(view => Judge(view, log, verdicts).Where(d => function is null || d.Function == function).ToList()));

    private static IResult Record(RecordDeploymentRequest? body, AnalysisState state, DeploymentLog log, VerdictCalculator verdicts, AnalysisOptions options)
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
        var recorded = state.Read(view => Judge(view, log, verdicts).First(d => d.Function == body.Function && d.Version == body.Version));
        return TypedResults.Created($"/api/deployments?function={Uri.EscapeDataString(body.Function!)}", recorded);
    }

    private static List<DeploymentResponse> Judge(IAnalysisView view, DeploymentLog log, VerdictCalculator verdicts)
    {
        var deployments = DeploymentDetector.Detect(view, log.Recorded);
        return [.. deployments.Select(d =>
        {
            var next = deployments.Where(o => o.Function == d.Function && o.Time > d.Time).Select(o => (DateTimeOffset?)o.Time).FirstOrDefault();
            var verdict = verdicts.Judge(view, d, next);
            return new DeploymentResponse(d.Function, d.Version, d.Time, verdict.Text, d.PreviousVersion, d.Recorded ? "recorded" : "detected",
                new ComparisonResponse(verdict.ErrorsPerHourBefore, verdict.ErrorsPerHourAfter, verdict.P95MsBefore, verdict.P95MsAfter,
                    verdict.InvocationsBefore, verdict.InvocationsAfter, verdict.FixedIssues, verdict.NewIssues));
        })];
    }
}
