using Threadline.Stitching;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// A read of the analyzed invocations: store queries, each bounded by its time range (or a key) and by
/// <see cref="StoreAnalysisView.MaxRows"/>. Valid only inside <see cref="AnalysisState.Read{T}"/>.
/// </summary>
public interface IAnalysisView
{
    StitchEngine Engine { get; }
    IAnalysisStore Store { get; }
    DateTimeOffset Now { get; }
    AnalyzedInvocation? Get(InvocationId id);
    /// <summary>The known invocations among <paramref name="ids"/>, in one query.</summary>
    IReadOnlyDictionary<InvocationId, AnalyzedInvocation> GetMany(IEnumerable<InvocationId> ids);
    /// <summary>The functions with an invocation started in the range, in name order.</summary>
    IReadOnlyList<string> Functions(TimeRange range);
    /// <summary>The function's invocations started in the range, in start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfFunction(string function, TimeRange range);
    /// <summary>The failed invocations of an issue started in the range, in start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfIssue(string issueId, TimeRange range);
    /// <summary>
    /// The batch consumers that consumed a record with this key (its deliveries), and the consumers of on-failure
    /// destinations that received it as a dropped async event, in start order.
    /// </summary>
    IReadOnlyList<AnalyzedInvocation> OfRecord(string key);
    /// <summary>The consumers of on-failure destinations that received dropped records of this shard (<c>stream/shardId</c>), in start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfSkippedShard(string shard);
}

/// <summary>
/// <see cref="IAnalysisView"/> over the store. Invocations read by id are remembered for the one read, so an impact
/// walking many transactions asks for each invocation once. The DuckDB store answers synchronously; the store's tasks
/// are awaited in place so the analysis logic (pure functions over a view) stays synchronous.
/// </summary>
internal sealed class StoreAnalysisView(AnalysisState state) : IAnalysisView
{
    /// <summary>The most invocations one list read returns (a range this full is cut at its first MaxRows, in start order).</summary>
    public const int MaxRows = 500_000;

    /// <summary>The most deliveries of one record key, or consumers of one shard's drops, that a read considers.</summary>
    public const int MaxPerKey = 10_000;

    private readonly Dictionary<InvocationId, AnalyzedInvocation?> _byId = [];

    public StitchEngine Engine => state.Engine;

    public IAnalysisStore Store => state.Store;

    public DateTimeOffset Now => state.Time.GetUtcNow();

    public AnalyzedInvocation? Get(InvocationId id)
    {
        if (!_byId.ContainsKey(id))
            GetMany([id]);
        return _byId[id];
    }

    public IReadOnlyDictionary<InvocationId, AnalyzedInvocation> GetMany(IEnumerable<InvocationId> ids)
    {
        var wanted = ids.Distinct().ToList();
        var missing = wanted.Where(id => !_byId.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var id in missing)
                _byId[id] = null;
            foreach (var row in Wait(state.Store.GetInvocationsAsync([.. missing.Select(id => new InvocationKey(id.TraceId, id.SpanId))], CancellationToken.None)))
                Remember(AnalysisRows.FromRow(row));
        }
        var found = new Dictionary<InvocationId, AnalyzedInvocation>();
        foreach (var id in wanted)
        {
            if (_byId[id] is { } invocation)
                found[id] = invocation;
        }
        return found;
    }

    public IReadOnlyList<string> Functions(TimeRange range) => Wait(state.Store.ListFunctionsAsync(range, CancellationToken.None));

    public IReadOnlyList<AnalyzedInvocation> OfFunction(string function, TimeRange range) =>
        Load(state.Store.ListByFunctionAsync(function, range, MaxRows, CancellationToken.None));

    public IReadOnlyList<AnalyzedInvocation> OfIssue(string issueId, TimeRange range) =>
        Load(state.Store.ListByIssueAsync(issueId, range, MaxRows, CancellationToken.None));

    public IReadOnlyList<AnalyzedInvocation> OfRecord(string key) => Load(state.Store.ListByRecordKeyAsync(key, MaxPerKey, CancellationToken.None));

    public IReadOnlyList<AnalyzedInvocation> OfSkippedShard(string shard) => Load(state.Store.ListBySkippedShardAsync(shard, MaxPerKey, CancellationToken.None));

    private List<AnalyzedInvocation> Load(Task<IReadOnlyList<AnalyzedInvocationRow>> rows) => [.. Wait(rows).Select(r => Remember(AnalysisRows.FromRow(r)))];

    private AnalyzedInvocation Remember(AnalyzedInvocation invocation)
    {
        _byId[invocation.Id] = invocation;
        return invocation;
    }

    internal static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
