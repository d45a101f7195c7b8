using Threadline.Query.Evaluation;

namespace Threadline.Analysis.Search;

/// <summary>One matching invocation. <see cref="Matches"/> says where free text matched (empty when the query has none).</summary>
public sealed record SearchHit(
    string Id,
    string Function,
    string Status,
    long StartTimeUnixNano,
    double DurationMs,
    IReadOnlyList<string> TransactionIds,
    string? Entry,
    string? TriggerKind,
    string? ErrorType,
    string? ErrorMessage,
    string? Version,
    bool ColdStart,
    string TraceId,
    IReadOnlyList<MatchedText> Matches);

/// <summary>A transaction holding matches (<c>as=transactions</c>): its summary and which of its invocations matched.</summary>
public sealed record SearchTransactionHit(
    string Id,
    string Entry,
    string? EntryKind,
    string Status,
    long StartTimeUnixNano,
    double DurationMs,
    int InvocationCount,
    IReadOnlyList<string> MatchedInvocationIds);

/// <summary>
/// A page of results, newest first, in [<see cref="FromUnixNano"/>, <see cref="ToUnixNano"/>); <see cref="NextCursor"/>
/// continues after the page (null on the last). <see cref="Total"/> counts every match in the range. <see cref="Partial"/>:
/// the index had not yet derived every stored span when the search ran (it follows ingest a moment behind, and derives
/// in the background after a start), so matches may be missing.
/// </summary>
public sealed record SearchResponse(
    string Query,
    long FromUnixNano,
    long ToUnixNano,
    long Total,
    IReadOnlyList<SearchHit> Invocations,
    IReadOnlyList<SearchTransactionHit>? Transactions,
    string? NextCursor,
    bool Partial);

/// <summary>Top values of a field among the matches.</summary>
public sealed record SearchFacet(string Field, IReadOnlyList<SearchFacetValue> Values);

public sealed record SearchFacetValue(string Value, string Kind, long Count, string Term);

/// <summary>Matches per bucket of <see cref="BucketNanos"/> from <see cref="FromUnixNano"/> (every bucket, zero included).</summary>
public sealed record SearchHistogram(long FromUnixNano, long ToUnixNano, long BucketNanos, IReadOnlyList<long> Counts);

/// <summary>A field the query box can name: a catalogue field, <c>attr.</c>/<c>resource.</c>, or a stored attribute key.</summary>
public sealed record SearchFieldInfo(string Name, string Type, string Description, string Example, IReadOnlyList<string> Operators);

/// <summary>What to suggest at the caret: the completion kind, the text a pick replaces, and the suggestions with
/// the query text and caret each gives.</summary>
public sealed record SearchCompletion(string Kind, string Prefix, int ReplaceStart, int ReplaceLength, IReadOnlyList<SearchSuggestion> Suggestions);

public sealed record SearchSuggestion(string Label, string Detail, string Text, int Caret);

/// <summary>A malformed query: the message, the 1-based position, what was expected there and what was found.</summary>
public sealed record SearchQueryError(string Error, int Position, string Expected, string? Found);
