using System.Collections.Immutable;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.Tests.Search;

/// <summary>
/// Random invocations and random queries over the same small vocabularies, so that most terms match some rows and
/// miss others (prefixes and substrings of stored values, values of other fields, missing fields, mixed types).
/// </summary>
internal sealed class RandomSearchRows(int seed)
{
    public const long T0 = 1_790_000_000_000_000_000;
    public const long Span = 3_600_000_000_000; // an hour

    private static readonly string[] Words = ["send-email", "send-sms", "checkout", "payments", "Payé", "€uro", "a b", "x", "TimeoutError", "timed out", "2", "v1"];
    private static readonly string[] Keys = ["http.status_code", "http.route", "user.tier", "retry", "faas.version", "é.key"];
    private static readonly string[] Phrases = ["order 42 accepted", "Payment RECEIPT sent", "timed out after 3s", "{\"id\":\"abc\"}", "Café au lait", "line1\nline2"];

    private readonly Random _random = new(seed);

    public List<SearchInvocationRow> Rows(int count, int traces)
    {
        var traceIds = Enumerable.Range(0, traces).Select(_ => new UInt128((ulong)_random.NextInt64(), (ulong)_random.NextInt64())).ToArray();
        return [.. Enumerable.Range(0, count).Select(n => Row(traceIds[_random.Next(traceIds.Length)], (ulong)_random.NextInt64(1, long.MaxValue)))];
    }

    public SearchInvocationRow Row(UInt128 traceId, ulong spanId) => new()
    {
        TraceId = traceId,
        SpanId = spanId,
        Function = Pick(Words),
        Entry = Maybe(() => Pick(Words)),
        TriggerKind = Maybe(() => Pick("sqs", "sns", "apigateway", "schedule")),
        TriggerResource = Maybe(() => Pick(Words)),
        Failed = _random.Next(3) == 0,
        ErrorType = Maybe(() => Pick(Words)),
        ErrorMessage = Maybe(() => Pick(Phrases)),
        // Several rows share a start, so that the cursor's tie-break by id is exercised.
        StartTimeUnixNano = T0 + _random.Next(40) * (Span / 40),
        DurationNanos = _random.Next(4) switch { 0 => 0, 1 => 500_000_000, _ => _random.NextInt64(0, 3_000_000_000) },
        ColdStart = _random.Next(2) == 0,
        Version = Maybe(() => Pick(Words)),
        User = Maybe(() => Pick("alice@example.com", "bob", "Payé")),
        Vip = _random.Next(4) == 0,
        RequestId = Maybe(() => Guid.NewGuid().ToString()[..(_random.Next(2) == 0 ? 8 : 36)]),
        Attributes = [.. Enumerable.Range(0, _random.Next(6)).Select(_ => Attribute()).Distinct()],
        MessageIds = [.. Enumerable.Range(0, _random.Next(3)).Select(_ => Pick("m-1", "m-2", "m-10", "abc"))],
        Texts = [.. Enumerable.Range(0, _random.Next(3)).Select(_ => new SearchTextRow(Pick("event", "response", "log"), Pick(Phrases)))],
    };

    private SearchAttributeRow Attribute()
    {
        var scope = _random.Next(3) == 0 ? AttributeScope.Resource : AttributeScope.Span;
        var key = Pick(Keys);
        return _random.Next(3) switch
        {
            0 => SearchAttributeRow.OfText(scope, key, Pick(Words.Concat(["200", "true"]).ToArray())),
            1 => SearchAttributeRow.OfNumber(scope, key, Pick(200.0, 404, 500, -1.5, 0, 1e20)),
            _ => SearchAttributeRow.OfBoolean(scope, key, _random.Next(2) == 0),
        };
    }

    public QueryNode Query(int depth = 3)
    {
        if (depth == 0 || _random.Next(3) == 0)
            return _random.Next(5) == 0 ? new FreeTextNode(Pick("payment receipt", "TIMED", "order", "café", "nothing", "\"id\"")) : Term();
        return _random.Next(4) switch
        {
            0 => new NotNode(Query(depth - 1)),
            1 => new OrNode([.. Enumerable.Range(0, _random.Next(2, 4)).Select(_ => Query(depth - 1))]),
            _ => new AndNode([.. Enumerable.Range(0, _random.Next(2, 4)).Select(_ => Query(depth - 1))]),
        };
    }

    public TermNode Term()
    {
        var equality = _random.Next(3) == 0 ? ComparisonOperator.NotEqual : ComparisonOperator.Equal;
        if (_random.Next(3) == 0)
        {
            var field = new AttributeField(_random.Next(3) == 0 ? AttributeScope.Resource : AttributeScope.Span, Pick(Keys.Append("never.stored").ToArray()));
            return _random.Next(4) switch
            {
                0 => new TermNode(field, Pick(Enum.GetValues<ComparisonOperator>()), new NumberValue(Pick(200.0, 404, 0, -1.5, 1e20, 300))),
                1 => new TermNode(field, equality, new BooleanValue(_random.Next(2) == 0)),
                2 => new TermNode(field, equality, new AnyValue()),
                _ => new TermNode(field, equality, Text(Words.Concat(["200", "true"]).ToArray())),
            };
        }
        var definition = Pick(FieldCatalog.All.ToArray());
        var catalog = new CatalogField(definition);
        QueryValue value = definition.Type switch
        {
            FieldType.Status => new TextValue(Pick("ok", "error")),
            FieldType.Boolean => new BooleanValue(_random.Next(2) == 0),
            FieldType.Duration => new DurationValue(Pick(0L, 500_000_000, 1_000_000_000, 2_999_999_999)),
            FieldType.TraceId => _random.Next(4) == 0 ? new AnyValue() : new TextValue(Pick("0", "a", "ff", "7"), TextMatch.Prefix),
            FieldType.Id when definition == FieldCatalog.MessageId => _random.Next(4) == 0 ? new AnyValue() : Text(["m-1", "m", "abc", "m-10"], allowContains: false),
            FieldType.Id => _random.Next(2) == 0 ? new AnyValue() : new TextValue(Pick("0", "a", "1f"), TextMatch.Prefix),
            _ => _random.Next(6) == 0 ? new AnyValue() : Text(definition == FieldCatalog.Message ? Phrases : definition == FieldCatalog.User ? ["alice@example.com", "bob", "ali"] : Words),
        };
        var op = definition.Type == FieldType.Duration ? Pick(Enum.GetValues<ComparisonOperator>()) : equality;
        return new TermNode(catalog, op, value);
    }

    private TextValue Text(string[] values, bool allowContains = true)
    {
        var value = Pick(values);
        return (_random.Next(allowContains ? 3 : 2)) switch
        {
            0 => new TextValue(value),
            1 => new TextValue(value[..Math.Max(1, value.Length / 2)], TextMatch.Prefix),
            _ => new TextValue(value[(value.Length / 3)..Math.Max(value.Length / 3 + 1, 2 * value.Length / 3)], TextMatch.Contains),
        };
    }

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];

    private T? Maybe<T>(Func<T> value) where T : class => _random.Next(4) == 0 ? null : value();
}
