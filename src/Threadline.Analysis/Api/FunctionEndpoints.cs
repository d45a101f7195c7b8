using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Cost;
using Threadline.Server.Api.Contracts;

namespace Threadline.Analysis.Api;

/// <summary>Per-function statistics and cost, the impact of a failing function, and cost per entry point and transaction.</summary>
internal static class FunctionEndpoints
{
    public static void MapFunctionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/functions", List)
            .WithName("ListFunctions")
            .WithSummary("Per function: invocations, errors, p50/p95/p99 duration (ms), cold starts, cost (USD) and cost spike. from/to: invocations started in [from, to).")
            .Produces<List<FunctionResponse>>().Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/functions/{name}/impact", Impact)
            .WithName("GetFunctionImpact").WithSummary("The entry points and users hit by the function's failed invocations of the last 24 hours.")
            .Produces<ImpactResponse>().Produces<ApiError>(StatusCodes.Status404NotFound);
        api.MapGet("/cost", Cost)
            .WithName("GetCost").WithSummary("Cost per function (with spikes) and per entry point, in USD, over the last 24 hours.")
            .Produces<CostReport>();
        api.MapGet("/cost/transactions/{id}", TransactionCost)
            .WithName("GetTransactionCost").WithSummary("The cost of one transaction: each invocation's cost and the share this transaction carries.")
            .Produces<TransactionCost>().Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    private static IResult List(string? from, string? to, AnalysisQueries analysis)
    {
        var errors = new List<string>();
        var fromTime = QueryParsing.Time(from, "from", errors);
        var toTime = QueryParsing.Time(to, "to", errors);
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        return TypedResults.Ok(analysis.Functions(fromTime, toTime));
    }

    private static IResult Impact(string name, AnalysisQueries analysis) =>
        analysis.FunctionImpact(name, null, null) is { } impact
            ? TypedResults.Ok(impact)
            : TypedResults.NotFound(new ApiError($"No function {name} is known."));

    private static IResult Cost(AnalysisQueries analysis) => TypedResults.Ok(analysis.Cost(null, null));

    private static IResult TransactionCost(string id, AnalysisQueries analysis) =>
        analysis.TransactionCost(id) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.NotFound(new ApiError($"No transaction {id} is known."));
}
