using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Storage.Derived.Search;

/// <summary>
/// The search index (issue 16), a derived part with its own watermark (docs/search.md): one row per invocation with
/// typed fields, its attributes, message ids and free text, replaced trace by trace. Queries are the language of
/// <c>Threadline.Query</c>, evaluated in the backend with the semantics of its reference evaluator; the conformance
/// tests compare the two over random invocations.
/// </summary>
public interface ISearchIndexStore : IAsyncDisposable
{
    /// <summary>The highest commit sequence whose spans are derived into the index (0 when none).</summary>
    Task<long> GetWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: removes every invocation of the traces, stores the rows (each of one of those traces) and,
    /// when given, sets the watermark. Writing the same rows again gives the same index.
    /// </summary>
    Task ReplaceTracesAsync(IReadOnlyCollection<UInt128> traceIds, IReadOnlyList<SearchInvocationRow> rows, long? watermark, CancellationToken cancellationToken) =>
        ReplaceTracesAsync(new SearchIndexWrite(rows, watermark) { Traces = traceIds }, cancellationToken);

    /// <summary>
    /// Replaces whole traces and single invocations in one transaction (<see cref="SearchIndexWrite"/>): the derivation
    /// rewrites only the invocations a commit changed, and says where their old rows can be.
    /// </summary>
    Task ReplaceTracesAsync(SearchIndexWrite write, CancellationToken cancellationToken);

    /// <summary>Removes the invocations that started before the cutoff (retention), in one transaction.</summary>
    Task DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken);

    /// <summary>The matching invocations, newest first; their rows without attributes, message ids and texts.</summary>
    Task<IReadOnlyList<SearchInvocationRow>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>How many invocations in the request's range match (limit and cursor ignored).</summary>
    Task<long> CountAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>Whole rows (attributes, message ids and texts included) of the invocations given by id; unknown ids are left out.</summary>
    Task<IReadOnlyList<SearchInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<(UInt128 TraceId, ulong SpanId)> ids, CancellationToken cancellationToken);

    /// <summary>
    /// The most frequent values of a field among the invocations of the range that match the query, starting with
    /// <paramref name="prefix"/> (ordinal), most frequent first (then by value). Facets and autocomplete. A duration
    /// has no values to list (empty).
    /// </summary>
    Task<IReadOnlyList<SearchValueCount>> TopValuesAsync(QueryNode query, long fromUnixNano, long toUnixNano, QueryField field, string prefix, int limit, CancellationToken cancellationToken);

    /// <summary>Matches per bucket of <paramref name="bucketNanos"/> from <paramref name="fromUnixNano"/>; empty buckets left out.</summary>
    Task<IReadOnlyList<SearchBucket>> HistogramAsync(QueryNode query, long fromUnixNano, long toUnixNano, long bucketNanos, CancellationToken cancellationToken);

    /// <summary>Attribute keys of the scope ever stored that start with the prefix (ordinal), in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> AttributeKeysAsync(AttributeScope scope, string prefix, int limit, CancellationToken cancellationToken);
}
