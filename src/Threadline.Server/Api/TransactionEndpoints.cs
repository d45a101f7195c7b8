using System.Globalization;
using Threadline.Server.Api.Contracts;
using Threadline.Server.Stitch;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Server.Api;

/// <summary>Transactions (every request across sync and async hops) and invocations.</summary>
public static class TransactionEndpoints
{
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapTransactionApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/transactions", ListTransactions)
            .WithName("ListTransactions")
            .WithSummary("Transactions, latest first. from/to: Unix nanoseconds or ISO 8601; entry: kind, name or resource of the entry; status: ok|error; traceId, requestId, messageId: the transactions that contain it.")
            .Produces<TransactionListResponse>().Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/transactions/{id}", GetTransactionAsync)
            .WithName("GetTransaction").WithSummary("A transaction: invocations, hops, graph and every span.")
            .Produces<TransactionResponse>().Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/invocations/{id}", GetInvocationAsync)
            .WithName("GetInvocation").WithSummary("An invocation with its event, response, spans, outgoing calls, logs and hops.")
            .Produces<InvocationDetailResponse>().Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/stitching", (StitchLagRecorder lags) =>
            {
                var (linked, p50, p99, max) = lags.Snapshot();
                return TypedResults.Ok(new StitchingResponse(linked, p50, p99, max));
            })
            .WithName("GetStitching").WithSummary("How many hops were linked, and the stitch lag percentiles.")
            .Produces<StitchingResponse>();

        return api;
    }

    private static IResult ListTransactions(StitchEngine engine, string? from, string? to, string? entry, string? status, int? limit,
        string? traceId, string? requestId, string? messageId)
    {
        var errors = new List<string>();
        var fromNanos = ParseTime(from, "from", errors);
        var toNanos = ParseTime(to, "to", errors);
        StatusCode? statusCode = status switch
        {
            null => null,
            "ok" => StatusCode.Ok,
            "error" => StatusCode.Error,
            _ => Error(errors, $"status must be 'ok' or 'error' (got '{status}')."),
        };
        if (limit is < 1 or > MaxLimit)
            errors.Add($"limit must be between 1 and {MaxLimit} (got {limit}).");
        UInt128 trace = default;
        if (traceId is not null && !TelemetryIds.TryParseTraceId(traceId, out trace))
            errors.Add($"traceId must be 32 hexadecimal characters (got '{traceId}').");
        if (errors.Count > 0)
            return TypedResults.BadRequest(new ApiError(string.Join(" ", errors)));

        var filter = new TransactionFilter
        {
            FromUnixNano = fromNanos,
            ToUnixNano = toNanos,
            Entry = entry,
            Status = statusCode,
            Limit = limit ?? 100,
            TraceId = traceId is null ? null : trace,
            RequestId = requestId,
            MessageId = messageId,
        };
        return TypedResults.Ok(new TransactionListResponse(engine.ListTransactions(filter).Select(TransactionMapper.ToResponse).ToList()));
    }

    private static async Task<IResult> GetTransactionAsync(string id, StitchEngine engine, ITelemetryStore store, CancellationToken cancellationToken)
    {
        if (!InvocationId.TryParse(id, out _))
            return MalformedId(id, "a transaction");
        if (engine.GetTransaction(id) is not { } transaction)
            return TypedResults.NotFound(new ApiError($"No transaction {id} is known."));

        var spans = await SpansOfAsync(store, transaction.Invocations, cancellationToken).ConfigureAwait(false);
        var graph = TransactionGraph.Of(transaction);
        var summary = transaction.Summary;
        return TypedResults.Ok(new TransactionResponse(
            summary.Id,
            TransactionMapper.ToResponse(summary.Entry),
            summary.Status == StatusCode.Error ? "error" : "ok",
            summary.StartTimeUnixNano,
            summary.DurationMs,
            transaction.Invocations.Select(TransactionMapper.ToResponse).ToList(),
            transaction.Hops.Select(TransactionMapper.ToResponse).ToList(),
            graph.Nodes.Select(TransactionMapper.ToResponse).ToList(),
            graph.Edges.Select(TransactionMapper.ToResponse).ToList(),
            spans.Select(ResponseMapper.ToResponse).ToList()));
    }

    private static async Task<IResult> GetInvocationAsync(string id, StitchEngine engine, ITelemetryStore store, CancellationToken cancellationToken)
    {
        if (!InvocationId.TryParse(id, out var invocationId))
            return MalformedId(id, "an invocation");
        if (engine.GetInvocation(invocationId) is not { } invocation)
            return TypedResults.NotFound(new ApiError($"No invocation {id} is known."));

        var spans = await SpansOfAsync(store, [invocation], cancellationToken).ConfigureAwait(false);
        var root = spans.FirstOrDefault(s => s.SpanId == invocation.SpanId);
        var spanIds = invocation.SpanIds.ToHashSet();
        var logs = (await store.FindLogsAsync(new LogQuery { TraceId = invocation.TraceId, Limit = 10_000 }, cancellationToken).ConfigureAwait(false))
            .Where(l => spanIds.Contains(l.SpanId));
        return TypedResults.Ok(new InvocationDetailResponse(
            TransactionMapper.ToResponse(invocation),
            engine.TransactionsOf(invocationId),
            TransactionMapper.Payload(root, "threadline.event"),
            TransactionMapper.Payload(root, "threadline.response"),
            spans.Select(ResponseMapper.ToResponse).ToList(),
            spans.Where(s => s.Kind is SpanKind.Client or SpanKind.Producer).Select(ResponseMapper.ToResponse).ToList(),
            logs.Select(ResponseMapper.ToResponse).ToList(),
            engine.IncomingHops(invocationId).Select(TransactionMapper.ToResponse).ToList(),
            engine.OutgoingHops(invocationId).Select(TransactionMapper.ToResponse).ToList()));
    }

    /// <summary>The stored spans that belong to the invocations, in start order.</summary>
    private static async Task<List<SpanRecord>> SpansOfAsync(ITelemetryStore store, IReadOnlyList<Invocation> invocations, CancellationToken cancellationToken)
    {
        var wanted = invocations.SelectMany(i => i.SpanIds.Select(s => (i.TraceId, s))).ToHashSet();
        var spans = new List<SpanRecord>();
        foreach (var traceId in invocations.Select(i => i.TraceId).Distinct())
        {
            var trace = await store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
            spans.AddRange(trace.Where(s => wanted.Contains((s.TraceId, s.SpanId))));
        }
        return [.. spans.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId)];
    }

    private static long? ParseTime(string? text, string name, List<string> errors)
    {
        if (text is null)
            return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var nanos))
            return nanos;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        errors.Add($"{name} must be Unix nanoseconds or an ISO 8601 time (got '{text}').");
        return null;
    }

    private static StatusCode? Error(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }

    private static IResult MalformedId(string id, string what) =>
        TypedResults.BadRequest(new ApiError($"'{id}' is not {what} id: expected <32 hex trace id>-<16 hex span id>."));
}
