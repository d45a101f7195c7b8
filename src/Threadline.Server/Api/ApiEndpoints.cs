using Threadline.Server.Api.Contracts;
using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Server.Api;

/// <summary>The JSON API under <c>/api</c>; its OpenAPI document is served at <c>/openapi/v1.json</c>.</summary>
public static class ApiEndpoints
{
    public static RouteGroupBuilder MapThreadlineApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapHealthApi();

        api.MapGet("/traces/{traceId}", GetTraceAsync)
            .WithName("GetTrace").WithSummary("Every span of a trace, with all that OTLP carried.")
            .Produces<TraceResponse>().Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status404NotFound);

        api.MapGet("/traces/{traceId}/logs", GetTraceLogsAsync)
            .WithName("GetTraceLogs").WithSummary("The log records tied to a trace, oldest first.")
            .Produces<LogsResponse>().Produces<ApiError>(StatusCodes.Status400BadRequest);

        return api;
    }

    /// <summary>Only <c>/api/health</c>: what a process without the query role answers on its API listener.</summary>
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth").WithSummary("Liveness, with what the store holds, how far the background derivation is (derivation), this process's role and its derivation lease.")
            .Produces<HealthResponse>();
        return api;
    }

    private static async Task<IResult> GetHealthAsync(ITelemetryStore store, IServiceProvider services, CancellationToken cancellationToken)
    {
        var statistics = await store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        var xray = services.GetService<Ingest.Receive.Udp.XRayUdpReceiver>()?.Statistics;
        var status = services.GetRequiredService<Roles.DeriveStatus>();
        // Only the deriving process knows how far its derivation is.
        var derivation = status.Role.HasFlag(Roles.ServerRole.Derive) ? services.GetServices<Threadline.Server.Derivation.IDerivationProgress>().ToList() : [];
        return TypedResults.Ok(new HealthResponse("ok", statistics.SpanCount, statistics.LogCount, statistics.BytesOnDisk, xray,
            derivation.Count == 0 ? null : Threadline.Server.Derivation.DerivationResponse.Of(derivation))
        {
            Role = Roles.ServerRoles.Format(status.Role),
            Lease = status.Lease,
            LastCommitSequence = store.LastCommitSequence,
        });
    }

    private static async Task<IResult> GetTraceAsync(string traceId, ITelemetryStore store, CancellationToken cancellationToken)
    {
        if (!TelemetryIds.TryParseTraceId(traceId, out var id))
            return MalformedTraceId(traceId);
        var spans = await store.GetTraceAsync(id, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0)
            return TypedResults.NotFound(new ApiError($"No trace {traceId.ToLowerInvariant()} is stored."));
        return TypedResults.Ok(new TraceResponse(TelemetryIds.FormatTraceId(id), spans.Select(ResponseMapper.ToResponse).ToList()));
    }

    private static async Task<IResult> GetTraceLogsAsync(string traceId, ITelemetryStore store, int? limit, CancellationToken cancellationToken)
    {
        if (!TelemetryIds.TryParseTraceId(traceId, out var id))
            return MalformedTraceId(traceId);
        if (limit is < 1 or > 10_000)
            return TypedResults.BadRequest(new ApiError($"limit must be between 1 and 10000 (got {limit})."));
        var logs = await store.FindLogsAsync(new LogQuery { TraceId = id, Limit = limit ?? 1000 }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new LogsResponse(TelemetryIds.FormatTraceId(id), logs.Select(ResponseMapper.ToResponse).ToList()));
    }

    private static IResult MalformedTraceId(string traceId) =>
        TypedResults.BadRequest(new ApiError($"'{traceId}' is not a trace id: expected 32 hexadecimal characters."));
}
