using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Threadline.Analysis.Configuration;
using Threadline.Query.Completion;
using Threadline.Query.Evaluation;
using Threadline.Query.Fields;
using Threadline.Query.Parsing;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;
using Threadline.Server.Roles;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Search (issue 16), for the API and the Explore page alike: parses the query, runs it on the search index over a
/// time range (the last 24 hours by default), and adds what the index does not hold: the transactions of each match
/// (the stitcher's, current) and where free text matched (the reference evaluator over the page's stored rows).
/// </summary>
public sealed class SearchQueries(ISearchIndexStore index, StitchEngine engine, AnalysisOptions options, SearchIndexer indexer,
    ITelemetryStore store, DeriveStatus role)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    private const int HistogramBuckets = 60;

    /// <summary>The facet fields the Explore page shows beside the results.</summary>
    public static readonly IReadOnlyList<FieldDefinition> FacetFields = [FieldCatalog.Function, FieldCatalog.Status, FieldCatalog.Error, FieldCatalog.Version];

    public SearchProgress Progress => indexer.Progress;

    /// <summary>Parses the query text (null or blank: everything); a malformed query is the parser's error.</summary>
    public static bool TryParseQuery(string? text, out QueryNode query, [NotNullWhen(false)] out QueryParseException? error)
    {
        if (QueryParser.TryParse(text ?? "", out query, out var failure))
        {
            error = null;
            return true;
        }
        error = failure ?? throw new InvalidOperationException("The parser failed without an error.");
        return false;
    }

    /// <summary>The range asked for, or the <see cref="DefaultRange"/> up to now (and a minute ahead, for clocks that run fast).</summary>
    public (long From, long To) Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        var end = to ?? options.Time.GetUtcNow().AddMinutes(1);
        var start = from ?? end - DefaultRange;
        return (Ingest.Time.ToUnixNanos(start), Ingest.Time.ToUnixNanos(end));
    }

    public async Task<SearchResponse> SearchAsync(QueryNode query, long from, long to, int limit, SearchCursor? after, bool asTransactions, CancellationToken cancellationToken)
    {
        // Read before the search: a commit derived while it runs must not clear a flag the answer did not see. On a
        // shared store the index is derived by the derive role's process (maybe another): its watermark tells.
        var partial = role.Role.IsShared()
            ? await index.GetWatermarkAsync(cancellationToken).ConfigureAwait(false) < store.LastCommitSequence
            : indexer.IsBehind;
        var request = new SearchRequest(query, from, to, limit, after);
        var rows = await index.SearchAsync(request, cancellationToken).ConfigureAwait(false);
        var total = await index.CountAsync(request, cancellationToken).ConfigureAwait(false);
        var matches = HasFreeText(query)
            ? (await index.GetInvocationsAsync([.. rows.Select(r => (r.TraceId, r.SpanId))], cancellationToken).ConfigureAwait(false))
                .ToDictionary(r => (r.TraceId, r.SpanId), r => QueryEvaluator.Evaluate(query, new SearchRowDocument(r)).MatchedTexts)
            : [];
        var hits = rows.Select(row => Hit(row, matches.TryGetValue((row.TraceId, row.SpanId), out var found) ? found : [])).ToList();
        var next = rows.Count == limit ? Cursor(rows[^1]) : null;
        return new SearchResponse(QueryPrinter.Print(query), from, to, total, hits, asTransactions ? Transactions(hits) : null, next, partial);
    }

    public async Task<IReadOnlyList<SearchFacet>> FacetsAsync(QueryNode query, long from, long to, IReadOnlyList<QueryField> fields, int limit, CancellationToken cancellationToken)
    {
        var facets = new List<SearchFacet>();
        foreach (var field in fields)
        {
            var values = await index.TopValuesAsync(query, from, to, field, "", limit, cancellationToken).ConfigureAwait(false);
            facets.Add(new SearchFacet(field.Name, [.. values.Select(v => new SearchFacetValue(v.Value, v.Kind, v.Count, Term(field, v)))]));
        }
        return facets;
    }

    /// <summary>Matches per bucket: the range cut into 60 buckets of whole milliseconds or more.</summary>
    public async Task<SearchHistogram> HistogramAsync(QueryNode query, long from, long to, CancellationToken cancellationToken)
    {
        var width = Math.Max(1_000_000, (long)Math.Ceiling((to - (double)from) / HistogramBuckets / 1_000_000) * 1_000_000);
        var buckets = await index.HistogramAsync(query, from, to, width, cancellationToken).ConfigureAwait(false);
        var counts = new long[(int)Math.Ceiling((to - (double)from) / width)];
        foreach (var bucket in buckets)
            counts[(bucket.StartUnixNano - from) / width] = bucket.Count;
        return new SearchHistogram(from, to, width, counts);
    }

    /// <summary>The catalogue fields, the attribute namespaces, and stored attribute keys, all starting with the prefix.</summary>
    public async Task<IReadOnlyList<SearchFieldInfo>> FieldsAsync(string prefix, CancellationToken cancellationToken)
    {
        var fields = QueryCompletion.Fields(prefix).Select(f => Info(f.Name, f.Type, f.Description, f.Example)).ToList();
        foreach (var scope in Enum.GetValues<AttributeScope>())
        {
            var namespacePrefix = scope.Prefix();
            if (!(prefix.StartsWith(namespacePrefix, StringComparison.OrdinalIgnoreCase) || namespacePrefix.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                continue;
            var keyPrefix = prefix.Length > namespacePrefix.Length ? prefix[namespacePrefix.Length..] : "";
            foreach (var key in await index.AttributeKeysAsync(scope, keyPrefix, 100, cancellationToken).ConfigureAwait(false))
                fields.Add(Info(namespacePrefix + key, FieldType.Attribute, scope == AttributeScope.Span ? "Span attribute" : "Resource attribute", namespacePrefix + key + ":*"));
        }
        return fields;
    }

    /// <summary>Top values of a field (<c>function</c>, <c>attr.http.route</c>, …) in the range, starting with the prefix.</summary>
    public Task<IReadOnlyList<SearchValueCount>> ValuesAsync(QueryField field, string prefix, long from, long to, int limit, CancellationToken cancellationToken) =>
        index.TopValuesAsync(new MatchAllNode(), from, to, field, prefix, limit, cancellationToken);

    /// <summary>What to suggest at the caret of the query box: fields, attribute keys, or values (known ones, else the stored ones).</summary>
    public async Task<SearchCompletion> CompleteAsync(string text, int caret, long from, long to, CancellationToken cancellationToken)
    {
        caret = Math.Clamp(caret, 0, text.Length);
        var context = QueryCompletion.ContextAt(text, caret);
        var suggestions = new List<SearchSuggestion>();
        switch (context.Kind)
        {
            case CompletionKind.Field:
                foreach (var field in QueryCompletion.Fields(context.Prefix))
                {
                    var (newText, newCaret) = QueryCompletion.ApplyField(text, context, field.Name);
                    suggestions.Add(new SearchSuggestion(field.Name, field.Description, newText, newCaret));
                }
                break;
            case CompletionKind.AttributeKey when context.Scope is { } scope:
                foreach (var key in await index.AttributeKeysAsync(scope, context.Prefix, 20, cancellationToken).ConfigureAwait(false))
                {
                    var (newText, newCaret) = QueryCompletion.ApplyField(text, context, key);
                    suggestions.Add(new SearchSuggestion(scope.Prefix() + key, scope == AttributeScope.Span ? "span attribute" : "resource attribute", newText, newCaret));
                }
                break;
            case CompletionKind.Value when context.Field is { } field:
                var known = QueryCompletion.KnownValues(field, context.Prefix);
                IEnumerable<(string Value, string Kind, long? Count)> values = known.Count > 0
                    ? known.Select(v => (v, field is CatalogField { Definition.Type: FieldType.Boolean } ? "boolean" : "string", (long?)null))
                    : (await index.TopValuesAsync(new MatchAllNode(), from, to, field, context.Prefix, 20, cancellationToken).ConfigureAwait(false))
                        .Select(v => (v.Value, v.Kind, (long?)v.Count));
                foreach (var (value, kind, count) in values)
                {
                    if (ValueOf(field, value, kind) is not { } typed)
                        continue;
                    var (newText, newCaret) = QueryCompletion.ApplyValue(text, context, typed);
                    suggestions.Add(new SearchSuggestion(value, count is { } n ? n.ToString(CultureInfo.InvariantCulture) : "", newText, newCaret));
                }
                break;
        }
        return new SearchCompletion(context.Kind.ToString().ToLowerInvariant(), context.Prefix, context.ReplaceStart, context.ReplaceLength, suggestions);
    }

    public static string Cursor(SearchInvocationRow row) =>
        $"{row.StartTimeUnixNano.ToString(CultureInfo.InvariantCulture)}.{new InvocationId(row.TraceId, row.SpanId)}";

    public static bool TryParseCursor(string text, out SearchCursor cursor)
    {
        cursor = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start)
            || !InvocationId.TryParse(text[(dot + 1)..], out var id))
            return false;
        cursor = new SearchCursor(start, id.TraceId, id.SpanId);
        return true;
    }

    /// <summary>The facet value as a term to add to the query (what clicking it does).</summary>
    public static string Term(QueryField field, SearchValueCount value) =>
        ValueOf(field, value.Value, value.Kind) is { } typed ? QueryPrinter.Print(new TermNode(field, ComparisonOperator.Equal, typed)) : "";

    private static QueryValue? ValueOf(QueryField field, string value, string kind)
    {
        if (field is CatalogField { Definition.Type: FieldType.Duration })
            return null;
        return kind switch
        {
            "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => new NumberValue(number),
            "boolean" => new BooleanValue(value == "true"),
            _ => new TextValue(value),
        };
    }

    private static bool HasFreeText(QueryNode node) => node switch
    {
        FreeTextNode => true,
        AndNode and => and.Operands.Any(HasFreeText),
        OrNode or => or.Operands.Any(HasFreeText),
        _ => false,
    };

    private SearchHit Hit(SearchInvocationRow row, IReadOnlyList<MatchedText> matches)
    {
        var id = new InvocationId(row.TraceId, row.SpanId);
        return new SearchHit(id.ToString(), row.Function, row.Failed ? "error" : "ok", row.StartTimeUnixNano, row.DurationNanos / 1e6,
            engine.TransactionsOf(id), row.Entry, row.TriggerKind, row.ErrorType, row.ErrorMessage, row.Version, row.ColdStart,
            TelemetryIds.FormatTraceId(row.TraceId), matches);
    }

    /// <summary>The page's matches grouped by transaction, in the order of their newest match.</summary>
    private List<SearchTransactionHit> Transactions(IReadOnlyList<SearchHit> hits)
    {
        var grouped = new Dictionary<string, List<string>>();
        foreach (var hit in hits)
        {
            foreach (var transaction in hit.TransactionIds)
            {
                if (!grouped.TryGetValue(transaction, out var members))
                    grouped[transaction] = members = [];
                members.Add(hit.Id);
            }
        }
        var result = new List<SearchTransactionHit>();
        foreach (var (id, members) in grouped)
        {
            if (engine.GetTransaction(id)?.Summary is not { } summary)
                continue;
            result.Add(new SearchTransactionHit(summary.Id, summary.Entry.Resource ?? summary.Entry.Name, summary.Entry.Kind,
                summary.Status == StatusCode.Error ? "error" : "ok", summary.StartTimeUnixNano, summary.DurationMs, summary.InvocationCount, members));
        }
        return result;
    }

    private static SearchFieldInfo Info(string name, FieldType type, string description, string example) =>
        new(name, type.ToString().ToLowerInvariant(), description, example, [.. FieldTypes.Operators(type).Select(o => o.Symbol())]);
}
