using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Search;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Server.Api.Contracts;
using Threadline.Storage.Derived.Search;

namespace Threadline.Analysis.Api;

/// <summary>Search by anything (issue 16, docs/search.md): results, facets, histogram, fields and values for autocomplete.</summary>
internal static class SearchEndpoints
{
    private const string RangeHelp = "from/to: Unix nanoseconds or ISO 8601 (default: the last 24 hours).";

    public static void MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search)
            .WithName("Search")
            .WithSummary("Invocations matching the query q (docs/search.md), newest first. limit (1–500, default 50), cursor (nextCursor of the previous page), as=invocations|transactions. " + RangeHelp)
            .Produces<SearchResponse>().Produces<SearchQueryError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/search/facets", Facets)
            .WithName("SearchFacets")
            .WithSummary("Top values of function, status, error and version (and of each extra field=…) among the matches of q. limit: values per field (default 10). " + RangeHelp)
            .Produces<List<SearchFacet>>().Produces<SearchQueryError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/search/histogram", Histogram)
            .WithName("SearchHistogram")
            .WithSummary("Matches of q over time: the range in 60 equal buckets. " + RangeHelp)
            .Produces<SearchHistogram>().Produces<SearchQueryError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/search/fields", Fields)
            .WithName("SearchFields")
            .WithSummary("Fields a query can name starting with prefix: the catalogue, attr./resource. and the stored attribute keys.")
            .Produces<List<SearchFieldInfo>>();
        api.MapGet("/search/values", Values)
            .WithName("SearchValues")
            .WithSummary("Most frequent values of field (function, attr.http.route, …) starting with prefix, with counts. limit (default 20). " + RangeHelp)
            .Produces<List<SearchValueCount>>().Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/search/complete", Complete)
            .WithName("SearchComplete")
            .WithSummary("Autocomplete for the query box: what is typed at caret (default: the end of q) and the suggestions, each with the query text and caret it gives.")
            .Produces<SearchCompletion>();
    }

    private static async Task<IResult> Search(SearchQueries search, HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var (from, to) = Range(search, request, errors);
        var limit = Limit(request, "limit", SearchQueries.DefaultLimit, SearchQueries.MaxLimit, errors);
        SearchCursor? cursor = null;
        if (request.Query["cursor"].FirstOrDefault() is { Length: > 0 } cursorText)
        {
            if (SearchQueries.TryParseCursor(cursorText, out var parsed))
                cursor = parsed;
            else
                errors.Add($"cursor must be the nextCursor of a previous page (got '{cursorText}').");
        }
        var shape = request.Query["as"].FirstOrDefault() ?? "invocations";
        if (shape is not ("invocations" or "transactions"))
            errors.Add($"as must be invocations or transactions (got '{shape}').");
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        if (Parse(request) is var (query, problem) && problem is not null)
            return problem;
        return TypedResults.Ok(await search.SearchAsync(query!, from, to, limit, cursor, shape == "transactions", cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Facets(SearchQueries search, HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var (from, to) = Range(search, request, errors);
        var limit = Limit(request, "limit", 10, 100, errors);
        var fields = SearchQueries.FacetFields.Select(f => (QueryField)new CatalogField(f)).ToList();
        foreach (var name in request.Query["field"].OfType<string>())
        {
            if (Field(name, errors) is { } field && !fields.Contains(field))
                fields.Add(field);
        }
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        if (Parse(request) is var (query, problem) && problem is not null)
            return problem;
        return TypedResults.Ok(await search.FacetsAsync(query!, from, to, fields, limit, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Histogram(SearchQueries search, HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var (from, to) = Range(search, request, errors);
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        if (Parse(request) is var (query, problem) && problem is not null)
            return problem;
        return TypedResults.Ok(await search.HistogramAsync(query!, from, to, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Fields(SearchQueries search, HttpRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.FieldsAsync(request.Query["prefix"].FirstOrDefault() ?? "", cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> Values(SearchQueries search, HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var (from, to) = Range(search, request, errors);
        var limit = Limit(request, "limit", 20, 100, errors);
        var name = request.Query["field"].FirstOrDefault();
        var field = name is null ? null : Field(name, errors);
        if (name is null)
            errors.Add("field is required (function, attr.http.route, …).");
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        return TypedResults.Ok(await search.ValuesAsync(field!, request.Query["prefix"].FirstOrDefault() ?? "", from, to, limit, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Complete(SearchQueries search, HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var (from, to) = Range(search, request, errors);
        var text = request.Query["q"].FirstOrDefault() ?? "";
        var caret = Limit(request, "caret", text.Length, text.Length, errors, minimum: 0);
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));
        return TypedResults.Ok(await search.CompleteAsync(text, caret, from, to, cancellationToken).ConfigureAwait(false));
    }

    private static (QueryNode? Query, IResult? Problem) Parse(HttpRequest request)
    {
        if (SearchQueries.TryParseQuery(request.Query["q"].FirstOrDefault(), out var query, out var error))
            return (query, null);
        return (null, TypedResults.BadRequest(new SearchQueryError(error.Message, error.Position, error.Expected, error.Found)));
    }

    private static QueryField? Field(string name, List<string> errors)
    {
        if (FieldCatalog.Resolve(name) is { } field)
            return field;
        errors.Add($"field must be one of {FieldCatalog.Names()} (got '{name}').");
        return null;
    }

    private static (long From, long To) Range(SearchQueries search, HttpRequest request, List<string> errors)
    {
        var from = QueryParsing.Time(request.Query["from"].FirstOrDefault(), "from", errors);
        var to = QueryParsing.Time(request.Query["to"].FirstOrDefault(), "to", errors);
        if (from is not null && to is not null && from >= to)
            errors.Add("from must be before to.");
        return search.Range(from, to);
    }

    private static int Limit(HttpRequest request, string name, int fallback, int maximum, List<string> errors, int minimum = 1)
    {
        var text = request.Query[name].FirstOrDefault();
        if (text is null)
            return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            return value;
        errors.Add($"{name} must be a whole number from {minimum} to {maximum} (got '{text}').");
        return fallback;
    }
}
