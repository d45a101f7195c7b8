using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Issues;
using Threadline.Server.Api.Contracts;

namespace Threadline.Analysis.Api;

/// <summary>Issues: failures grouped by fingerprint, with impact, exposure and samples; resolving one.</summary>
internal static class IssueEndpoints
{
    public static void MapIssueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/issues", List)
            .WithName("ListIssues")
            .WithSummary("Issues, latest seen first. state: new|ongoing|regressed|resolved; function; from/to (Unix nanoseconds or ISO 8601): issues seen in [from, to).")
            .Produces<List<IssueSummaryResponse>>().Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/issues/{id}", Get)
            .WithName("GetIssue").WithSummary("An issue with its impact per entry point, exposure (users, VIPs), samples and hourly timeline.")
            .Produces<IssueDetailResponse>().Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapPost("/issues/{id}/resolve", Resolve)
            .WithName("ResolveIssue").WithSummary("Marks the issue resolved now; it regresses when it happens again.")
            .Produces<IssueDetailResponse>().Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status400BadRequest);
    }

    private static IResult List(AnalysisQueries analysis, HttpRequest request)
    {
        var query = request.Query;
        var errors = new List<string>();
        var stateText = query["state"].FirstOrDefault();
        IssueState? state = stateText switch
        {
            null => null,
            "new" => IssueState.New,
            "ongoing" => IssueState.Ongoing,
            "regressed" => IssueState.Regressed,
            "resolved" => IssueState.Resolved,
            _ => null,
        };
        if (stateText is not null && state is null)
            errors.Add($"state must be new, ongoing, regressed or resolved (got '{stateText}').");
        var from = QueryParsing.Time(query["from"].FirstOrDefault(), "from", errors);
        var to = QueryParsing.Time(query["to"].FirstOrDefault(), "to", errors);
        if (from is not null && to is not null && from >= to)
            errors.Add("from must be before to.");
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        var function = query["function"].FirstOrDefault();
        return TypedResults.Ok(analysis.Issues(state, function, from, to));
    }

    private static IResult Get(string id, AnalysisQueries analysis)
    {
        if (!QueryParsing.IsIssueId(id))
            return Malformed(id);
        return analysis.Issue(id) is { } issue ? TypedResults.Ok(issue.Detail) : NotFound(id);
    }

    private static IResult Resolve(string id, AnalysisQueries analysis)
    {
        if (!QueryParsing.IsIssueId(id))
            return Malformed(id);
        return analysis.Resolve(id) is { } issue ? TypedResults.Ok(issue.Detail) : NotFound(id);
    }

    private static IResult Malformed(string id) =>
        TypedResults.BadRequest(new ApiError($"'{id}' is not an issue id: expected 12 lowercase hexadecimal characters."));

    private static IResult NotFound(string id) => TypedResults.NotFound(new ApiError($"No issue {id} is known."));
}
