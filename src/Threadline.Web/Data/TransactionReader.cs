using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Telemetry;
using Threadline.Web.Model;

namespace Threadline.Web.Data;

/// <summary>
/// What the pages read: the stitcher's transactions and the store's spans and logs, in process (no HTTP round trip
/// to the server's own JSON API, and the pages get the typed records the view models are built from).
/// </summary>
internal sealed class TransactionReader(StitchEngine engine, ITelemetryStore store)
{
    /// <summary>The most transactions a list query looks at before free-text filtering and paging.</summary>
    public const int ScanLimit = 5000;

    public TransactionPage List(TransactionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<TransactionSummary> rows = engine.ListTransactions(new TransactionFilter
        {
            FromUnixNano = query.FromUnixNano,
            Entry = string.IsNullOrWhiteSpace(query.Entry) ? null : query.Entry.Trim(),
            Status = query.Status switch { "ok" => StatusCode.Ok, "error" => StatusCode.Error, _ => null },
            Limit = ScanLimit,
        });
        var function = Blank(query.Function);
        var edge = Blank(query.Edge);
        var node = Blank(query.Node);
        if (function is not null || edge is not null || node is not null)
        {
            rows = [.. rows.Where(r => engine.GetTransaction(r.Id) is { } transaction
                && (function is null || transaction.Invocations.Any(i => i.Function == function))
                && (edge is null && node is null || MapFilters.Crosses(TransactionGraph.Of(transaction), edge, node)))];
        }
        return TransactionPage.Of(rows, query);
    }

    /// <summary>The transactions that started at or after <paramref name="fromUnixNano"/> (all when null), at most <see cref="ScanLimit"/>, latest first.</summary>
    public IReadOnlyList<Transaction> Transactions(long? fromUnixNano) =>
        [.. engine.ListTransactions(new TransactionFilter { FromUnixNano = fromUnixNano, Limit = ScanLimit })
            .Select(s => engine.GetTransaction(s.Id)).OfType<Transaction>()];

    /// <summary>A trace's invocations (as one pseudo-transaction, for the timeline), its spans and the transactions it is part of; null when unknown.</summary>
    public async Task<TraceView?> GetTraceAsync(string id, CancellationToken cancellationToken)
    {
        if (!TelemetryIds.TryParseTraceId(id?.Trim() ?? "", out var traceId))
            return null;
        var invocations = engine.FindByTraceId(traceId);
        var spans = await store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (invocations.Count == 0 && spans.Count == 0)
            return null;
        var members = invocations.Select(i => i.Id).ToHashSet();
        var hops = invocations.SelectMany(i => engine.OutgoingHops(i.Id)).Where(h => members.Contains(h.To)).ToList();
        var transactions = invocations.ToDictionary(i => i.Id.ToString(), i => engine.TransactionsOf(i.Id));
        return TraceView.Of(TelemetryIds.FormatTraceId(traceId), invocations, hops, [.. spans.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId)], transactions);
    }

    public async Task<TransactionView?> GetTransactionAsync(string id, CancellationToken cancellationToken)
    {
        if (!InvocationId.TryParse(id, out _) || engine.GetTransaction(id) is not { } transaction)
            return null;
        var spans = await SpansOfAsync(transaction.Invocations, cancellationToken).ConfigureAwait(false);
        return new TransactionView(transaction, TransactionGraph.Of(transaction), spans);
    }

    public async Task<DeepDive?> GetInvocationAsync(string id, CancellationToken cancellationToken)
    {
        if (!InvocationId.TryParse(id, out var invocationId) || engine.GetInvocation(invocationId) is not { } invocation)
            return null;
        var spans = await SpansOfAsync([invocation], cancellationToken).ConfigureAwait(false);
        var spanIds = invocation.SpanIds.ToHashSet();
        var logs = (await store.FindLogsAsync(new LogQuery { TraceId = invocation.TraceId, Limit = 10_000 }, cancellationToken).ConfigureAwait(false))
            .Where(l => spanIds.Contains(l.SpanId)).OrderBy(l => l.TimeUnixNano).ToList();
        return DeepDive.Of(invocation, spans, logs, engine.IncomingHops(invocationId), engine.OutgoingHops(invocationId));
    }

    /// <summary>Where a searched id leads: a transaction id or an invocation's id (its transaction), a trace id (the trace view), a Lambda request id or message id (the transaction, that invocation selected).</summary>
    public string? Resolve(string text)
    {
        var id = text?.Trim() ?? "";
        if (id.Length == 0)
            return null;
        if (InvocationId.TryParse(id, out var invocationId))
        {
            if (engine.GetTransaction(id) is not null)
                return Links.Transaction(id);
            return engine.TransactionsOf(invocationId) is [var owner, ..] ? Links.Transaction(owner, id) : null;
        }
        if (TelemetryIds.TryParseTraceId(id, out var traceId))
            return engine.FindByTraceId(traceId).Count > 0 ? Links.Trace(TelemetryIds.FormatTraceId(traceId)) : null;
        return First(engine.FindByRequestId(id)) ?? First(engine.FindByMessageId(id));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private string? First(IReadOnlyList<Invocation> invocations)
    {
        foreach (var invocation in invocations.OrderBy(i => i.StartTimeUnixNano))
        {
            if (engine.TransactionsOf(invocation.Id) is [var owner, ..])
                return Links.Transaction(owner, invocation.Id.ToString());
        }
        return null;
    }

    /// <summary>The stored spans that belong to the invocations, in start order.</summary>
    private async Task<List<SpanRecord>> SpansOfAsync(IReadOnlyList<Invocation> invocations, CancellationToken cancellationToken)
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
}
