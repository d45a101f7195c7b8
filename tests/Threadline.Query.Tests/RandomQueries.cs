using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Query.Tests;

/// <summary>Generators of random, normalized query trees (every field, operator and value form) and of garbage.</summary>
internal static class RandomQueries
{
    /// <summary>Characters that stress quoting and lexing, plus letters, digits and a few non-ASCII ones.</summary>
    private const string Alphabet = "abcxyzABC019 _-./:\"\\*()!=<>'#,\t\né€😀";

    private const string KeyAlphabet = "abcxyzABC019_-./";

    private const string Hex = "0123456789abcdef";

    public static Gen<string> Text(string alphabet, int maxLength = 12) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()), length)
        select string.Concat(chars);

    private static Gen<QueryValue> TextValue(bool allowContains) =>
        from text in Text(Alphabet)
        from match in Gen.Elements(allowContains
            ? [TextMatch.Exact, TextMatch.Prefix, TextMatch.Contains]
            : new[] { TextMatch.Exact, TextMatch.Prefix })
        select (QueryValue)new TextValue(text, match);

    private static Gen<QueryValue> TraceValue =>
        from length in Gen.Choose(1, 32)
        from chars in Gen.ArrayOf(Gen.Elements(Hex.ToCharArray()), length)
        select (QueryValue)new TextValue(new string(chars), length == 32 ? TextMatch.Exact : TextMatch.Prefix);

    public static Gen<double> Number =>
        Gen.OneOf(
            Gen.Choose(-100000, 100000).Select(n => (double)n),
            Gen.Choose(-100000, 100000).Select(n => n / 1000.0),
            Gen.Elements(1e20, -1.5e-7, 0.1, 1.0 / 3, double.MaxValue, double.Epsilon),
            from high in Gen.Choose(int.MinValue, int.MaxValue)
            from low in Gen.Choose(int.MinValue, int.MaxValue)
            let number = BitConverter.Int64BitsToDouble(((long)high << 32) | (uint)low)
            select double.IsFinite(number) ? number : 0.0);

    private static Gen<long> Nanoseconds =>
        Gen.OneOf(
            Gen.Choose(0, 1_000_000).Select(n => (long)n),
            from n in Gen.Choose(0, 100_000)
            from unit in Gen.Elements(1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L)
            select n * unit,
            Gen.Constant(long.MaxValue));

    private static Gen<QueryField> Field =>
        Gen.OneOf(
            Gen.Elements(FieldCatalog.All.ToArray()).Select(f => (QueryField)new CatalogField(f)),
            from scope in Gen.Elements(AttributeScope.Span, AttributeScope.Resource)
            from key in Text(KeyAlphabet, 20)
            select (QueryField)new AttributeField(scope, key));

    private static readonly ComparisonOperator[] Equality = [ComparisonOperator.Equal, ComparisonOperator.NotEqual];

    public static Gen<QueryNode> Term =>
        from target in Field
        from term in TermFor(target)
        select term;

    private static Gen<QueryNode> TermFor(QueryField field)
    {
        var anyOp = Gen.Elements(Enum.GetValues<ComparisonOperator>());
        var equality = Gen.Elements(Equality);
        Gen<QueryNode> With(Gen<ComparisonOperator> ops, Gen<QueryValue> values) =>
            from op in ops
            from value in values
            select (QueryNode)new TermNode(field, op, value);

        return FieldCatalog.TypeOf(field) switch
        {
            FieldType.Keyword => With(equality, Gen.OneOf(TextValue(allowContains: true), Gen.Constant((QueryValue)new AnyValue()))),
            FieldType.Id => With(equality, Gen.OneOf(TextValue(allowContains: false), Gen.Constant((QueryValue)new AnyValue()))),
            FieldType.TraceId => With(equality, Gen.OneOf(TraceValue, Gen.Constant((QueryValue)new AnyValue()))),
            FieldType.Status => With(equality, Gen.Elements("ok", "error").Select(s => (QueryValue)new TextValue(s))),
            FieldType.Boolean => With(equality, Gen.Elements(true, false).Select(b => (QueryValue)new BooleanValue(b))),
            FieldType.Duration => With(anyOp, Nanoseconds.Select(n => (QueryValue)new DurationValue(n))),
            FieldType.Attribute => Gen.OneOf(
                With(anyOp, Number.Select(n => (QueryValue)new NumberValue(n))),
                With(equality, Gen.OneOf(
                    TextValue(allowContains: true),
                    Gen.Elements(true, false).Select(b => (QueryValue)new BooleanValue(b)),
                    Gen.Constant((QueryValue)new AnyValue()),
                    // Strings that, bare, would read as numbers or booleans: the printer must quote them.
                    Gen.Elements("200", "-1.5", "1e3", "true", "FALSE").Select(s => (QueryValue)new TextValue(s))))),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    private static Gen<QueryNode> FreeText =>
        Gen.OneOf(
            Text(Alphabet),
            Gen.Elements("and", "OR", "Not", "-", "-x", "payment-receipt", "a!", "x*")).Select(t => (QueryNode)new FreeTextNode(t));

    /// <summary>Random trees, already normalized (what the parser gives back).</summary>
    public static Gen<QueryNode> Query => Gen.Sized(size => Node(Math.Min(size, 40))).Select(Normalize);

    public static Gen<QueryNode> QueryOrEmpty => Gen.Frequency((20, Query), (1, Gen.Constant((QueryNode)new MatchAllNode())));

    private static Gen<QueryNode> Node(int size)
    {
        var leaf = Gen.Frequency((3, Term), (1, FreeText));
        if (size <= 1)
            return leaf;
        var operands = from count in Gen.Choose(2, 4)
                       from nodes in Gen.ArrayOf(Node(size / 3), count)
                       select nodes.ToImmutableArray();
        return Gen.Frequency(
            (3, leaf),
            (1, Node(size / 2).Select(n => (QueryNode)new NotNode(n))),
            (2, operands.Select(o => (QueryNode)new AndNode(o))),
            (2, operands.Select(o => (QueryNode)new OrNode(o))));
    }

    /// <summary>Flattens AND in AND and OR in OR, as the parser does.</summary>
    public static QueryNode Normalize(QueryNode node) => node switch
    {
        NotNode not => new NotNode(Normalize(not.Operand)),
        AndNode and => new AndNode([.. and.Operands.Select(Normalize).SelectMany(o => o is AndNode inner ? inner.Operands : [o])]),
        OrNode or => new OrNode([.. or.Operands.Select(Normalize).SelectMany(o => o is OrNode inner ? inner.Operands : [o])]),
        _ => node,
    };

    private static readonly string[] Fragments =
    [
        " ", " ", "  ", "(", ")", "\"", "\\", "*", ":", "!=", ">", ">=", "<", "<=", "=", "!", "-", "AND", "or", "NOT", "not",
        "function", "duration", "status", "cold", "trace", "request", "attr.", "attr.http.status_code", "resource.", "x",
        "500ms", "1.5s", "2m", "1e999", "-3", "true", "ok", "error", "fast", "é", "😀", "\t", "\n", "4bf92f3577b34da6a3ce929d0e0e4736",
    ];

    /// <summary>Text made of syntax fragments in random order: mostly invalid, sometimes valid.</summary>
    public static Gen<string> Garbage =>
        Gen.OneOf(
            Gen.ListOf(Gen.Elements(Fragments)).Select(string.Concat),
            Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(chars => new string(chars)),
            Text(Alphabet, 60));

    /// <summary>A valid query's canonical text with a few random edits (deletions, insertions, replacements).</summary>
    public static Gen<string> Mutated =>
        from query in Query
        from edits in Gen.ListOf(Gen.Three(Gen.Choose(0, 1000)))
        from fragment in Gen.Elements(Fragments)
        select Mutate(Printing.QueryPrinter.Print(query), edits, fragment);

    private static string Mutate(string text, IEnumerable<(int, int, int)> edits, string fragment)
    {
        foreach (var (kind, at, length) in edits.Take(4))
        {
            var start = text.Length == 0 ? 0 : at % (text.Length + 1);
            var count = Math.Min(length % 4, text.Length - start);
            text = (kind % 3) switch
            {
                0 => text.Remove(start, count),
                1 => text.Insert(start, fragment),
                _ => text.Remove(start, count).Insert(start, fragment),
            };
        }
        return text;
    }
}
