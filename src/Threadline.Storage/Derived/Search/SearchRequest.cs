using Threadline.Query.Syntax;

namespace Threadline.Storage.Derived.Search;

/// <summary>
/// A search over the invocations that started in [<see cref="FromUnixNano"/>, <see cref="ToUnixNano"/>): newest
/// first (by start, then id), at most <see cref="Limit"/>, after <see cref="After"/> when paging.
/// </summary>
public sealed record SearchRequest(QueryNode Query, long FromUnixNano, long ToUnixNano, int Limit = 50, SearchCursor? After = null);

/// <summary>Where a page ended: the last invocation's start and id (results continue strictly after it).</summary>
public readonly record struct SearchCursor(long StartTimeUnixNano, UInt128 TraceId, ulong SpanId);

/// <summary>A distinct value of a field among the matches and how many invocations hold it. <see cref="Kind"/> is
/// <c>string</c>, <c>number</c> or <c>boolean</c>; <see cref="Value"/> is written as a query writes it unquoted.</summary>
public sealed record SearchValueCount(string Value, string Kind, long Count);

/// <summary>Matches that started in [<see cref="StartUnixNano"/>, start + bucket width).</summary>
public sealed record SearchBucket(long StartUnixNano, long Count);
