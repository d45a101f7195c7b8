using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Query.Parsing;

/// <summary>
/// Parses query text into a normalized <see cref="QueryNode"/>; every malformed input is a
/// <see cref="QueryParseException"/> naming the position and what was expected, and nothing else is ever thrown.
/// </summary>
/// <remarks>
/// Grammar (precedence NOT &gt; AND &gt; OR; keywords in any case; adjacent terms are AND-ed):
/// <code>
/// query   := space* (or space*)?
/// or      := and (OR and)*
/// and     := unary ((AND)? unary)*
/// unary   := NOT unary | '-' unary | primary
/// primary := '(' or ')' | field op value | "phrase" | word
/// op      := ':' | '!=' | '&gt;' | '&gt;=' | '&lt;' | '&lt;='
/// value   := '*' | '*'? ("quoted" | bare) '*'?      typed by the field (see <see cref="ValueReader"/>)
/// </code>
/// Hand-written recursive descent rather than a parser library. The NuGet mirror does carry well-kept combinator
/// libraries (Superpower, Pidgin, Parlot, Sprache) and ANTLR; we weighed Superpower and Pidgin and chose not to, because:
/// the lexing is context-dependent (after an operator a value may hold ':' or '&gt;', as in
/// <c>attr.url:http://a:80/x</c>, while before it those characters end the field name), so a separate tokenizer
/// does not fit and scannerless combinators would need the same hand-made character rules; the value grammar is
/// picked by the field's type from the catalogue, and the errors have to speak in those terms ("duration takes a
/// duration such as 500ms") rather than in a library's "unexpected token, expected …" form; the depth limit that
/// keeps hostile input from overflowing the stack must be ours either way; and the whole grammar is a few short
/// methods, which leaves the query library without dependencies for the API, the UI and the SQL translation.
/// </remarks>
public sealed class QueryParser
{
    /// <summary>At most this many nested parentheses and NOTs (so no input can overflow the stack).</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private QueryParser(string text) => _text = text;

    /// <summary>The query's tree; the empty or blank query is <see cref="MatchAllNode"/>.</summary>
    /// <exception cref="QueryParseException">The text is not a valid query.</exception>
    public static QueryNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new QueryParser(text).ParseQuery();
    }

    public static bool TryParse(string text, out QueryNode query, out QueryParseException? error)
    {
        try
        {
            query = Parse(text);
            error = null;
            return true;
        }
        catch (QueryParseException e)
        {
            query = new MatchAllNode();
            error = e;
            return false;
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private QueryNode ParseQuery()
    {
        SkipSpace();
        if (AtEnd)
            return new MatchAllNode();
        var query = ParseOr();
        SkipSpace();
        if (!AtEnd)
            throw Fail(_pos, "expected a term or the end of the query (no '(' is open here)");
        return query;
    }

    private QueryNode ParseOr()
    {
        var operands = new List<QueryNode>();
        Add(operands, ParseAnd());
        while (true)
        {
            SkipSpace();
            if (!AtKeyword("OR"))
                break;
            _pos += 2;
            RequireTermAfter("OR");
            Add(operands, ParseAnd());
        }
        return operands.Count == 1 ? operands[0] : new OrNode([.. operands]);

        static void Add(List<QueryNode> operands, QueryNode operand)
        {
            if (operand is OrNode or)
                operands.AddRange(or.Operands);
            else
                operands.Add(operand);
        }
    }

    private QueryNode ParseAnd()
    {
        var operands = new List<QueryNode>();
        Add(operands, ParseUnary());
        while (true)
        {
            SkipSpace();
            if (AtEnd || Current == ')' || AtKeyword("OR"))
                break;
            if (AtKeyword("AND"))
            {
                _pos += 3;
                RequireTermAfter("AND");
            }
            Add(operands, ParseUnary());
        }
        return operands.Count == 1 ? operands[0] : new AndNode([.. operands]);

        static void Add(List<QueryNode> operands, QueryNode operand)
        {
            if (operand is AndNode and)
                operands.AddRange(and.Operands);
            else
                operands.Add(operand);
        }
    }

    private QueryNode ParseUnary()
    {
        SkipSpace();
        var start = _pos;
        if (AtKeyword("NOT"))
        {
            _pos += 3;
            RequireTermAfter("NOT");
            return Nested(start, () => new NotNode(ParseUnary()));
        }
        // "-term" is NOT term; a '-' standing alone (or before ')') is the free-text word "-".
        if (!AtEnd && Current == '-' && _pos + 1 < _text.Length && !char.IsWhiteSpace(_text[_pos + 1]) && _text[_pos + 1] != ')')
        {
            _pos++;
            return Nested(start, () => new NotNode(ParseUnary()));
        }
        return ParsePrimary();
    }

    private QueryNode ParsePrimary()
    {
        SkipSpace();
        if (AtEnd || Current == ')')
            throw Fail(_pos, "expected a term");
        var start = _pos;
        if (Current == '(')
            return Nested(start, () => ParseGroup(start));
        if (Current == '"')
        {
            var phrase = ReadQuoted();
            if (AtOperator())
                throw Fail(start, "expected a field name before the operator (field names are not quoted)", _text[start.._pos]);
            if (phrase.Length == 0)
                throw Fail(start, "expected a phrase inside the quotes", "\"\"");
            RequireTermEnd();
            return new FreeTextNode(phrase);
        }

        var word = ReadWord();
        if (word.Length == 0)
            throw Fail(_pos, "expected a field name before the operator");
        if (AtOperator())
            return ParseTerm(start, word);
        if (!AtEnd && Current == '=')
            throw Fail(_pos, "expected ':' for equality (field:value) or one of != > >= < <=", "=");
        if (word.Equals("AND", StringComparison.OrdinalIgnoreCase) || word.Equals("OR", StringComparison.OrdinalIgnoreCase))
            throw Fail(start, "expected a term (quote \"" + word + "\" to search for the word)", word);
        if (word.IndexOf('*') is var star and >= 0)
            throw Fail(start + star, "free text already matches anywhere: drop the '*', or quote the text to search for a '*'", word);
        RequireTermEnd();
        return new FreeTextNode(word);
    }

    private QueryNode ParseGroup(int open)
    {
        _pos++;
        SkipSpace();
        if (!AtEnd && Current == ')')
            throw Fail(_pos, "expected a term inside the parentheses");
        var inner = ParseOr();
        SkipSpace();
        if (AtEnd || Current != ')')
            throw Fail(_pos, $"expected ')' to close the '(' at position {open + 1}");
        _pos++;
        return inner;
    }

    private TermNode ParseTerm(int start, string name)
    {
        var field = FieldCatalog.Resolve(name);
        if (field is null)
        {
            var bareScope = Enum.GetValues<AttributeScope>().Select(s => s.Prefix())
                .FirstOrDefault(prefix => prefix.Equals(name, StringComparison.OrdinalIgnoreCase));
            throw bareScope is not null
                ? Fail(start + name.Length, $"expected an attribute key after '{bareScope}'")
                : Fail(start, $"expected a field name: {FieldCatalog.Names()} (quote free text that holds an operator)", name);
        }
        var operatorStart = _pos;
        var op = ReadOperator();
        var type = FieldCatalog.TypeOf(field);
        if (!FieldTypes.Operators(type).Contains(op))
            throw Fail(operatorStart, $"{field.Name} takes ':' or '!='", op.Symbol());
        if (AtEnd || char.IsWhiteSpace(Current) || Current == ')')
            throw Fail(_pos, $"expected a value after '{field.Name}{op.Symbol()}': {FieldTypes.Expectation(type)}");
        var raw = ReadRawValue();
        RequireTermEnd();
        return new TermNode(field, op, ValueReader.Read(field, op, raw));
    }

    private RawValue ReadRawValue()
    {
        var start = _pos;
        var leadingStar = Current == '*';
        if (leadingStar)
            _pos++;
        var quoted = !AtEnd && Current == '"';
        string text;
        if (quoted)
        {
            text = ReadQuoted();
        }
        else
        {
            var textStart = _pos;
            while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('(' or ')' or '"' or '*'))
                _pos++;
            text = _text[textStart.._pos];
        }
        var trailingStar = !AtEnd && Current == '*';
        if (trailingStar)
            _pos++;
        if (!AtEnd && !char.IsWhiteSpace(Current) && Current != ')' && (trailingStar || Current == '*' || (leadingStar && text.Length == 0)))
            throw Fail(_pos - (trailingStar ? 1 : 0), "expected '*' only at the end (prefix*) or at both ends (*contains*) of a value");
        return new RawValue(start, _text[start.._pos], text, quoted, leadingStar, trailingStar);
    }

    private string ReadQuoted()
    {
        var open = _pos;
        _pos++;
        var text = new System.Text.StringBuilder();
        while (!AtEnd)
        {
            var c = Current;
            if (c == '"')
            {
                _pos++;
                return text.ToString();
            }
            if (c == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] is '"' or '\\')
            {
                text.Append(_text[_pos + 1]);
                _pos += 2;
                continue;
            }
            text.Append(c);
            _pos++;
        }
        throw Fail(open, "expected a closing '\"' for this quote", Shorten(_text[open..]));
    }

    private string ReadWord()
    {
        var start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('(' or ')' or '"' or '=') && !AtOperator())
            _pos++;
        return _text[start.._pos];
    }

    private bool AtOperator() =>
        !AtEnd && (Current is ':' or '<' or '>' || (Current == '!' && _pos + 1 < _text.Length && _text[_pos + 1] == '='));

    private ComparisonOperator ReadOperator()
    {
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        (ComparisonOperator op, int length) = (Current, next) switch
        {
            (':', _) => (ComparisonOperator.Equal, 1),
            ('!', '=') => (ComparisonOperator.NotEqual, 2),
            ('>', '=') => (ComparisonOperator.GreaterOrEqual, 2),
            ('>', _) => (ComparisonOperator.Greater, 1),
            ('<', '=') => (ComparisonOperator.LessOrEqual, 2),
            ('<', _) => (ComparisonOperator.Less, 1),
            _ => throw Fail(_pos, "expected an operator"),
        };
        _pos += length;
        return op;
    }

    private bool AtKeyword(string keyword)
    {
        var end = _pos + keyword.Length;
        return end <= _text.Length
            && string.Compare(_text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (end == _text.Length || char.IsWhiteSpace(_text[end]) || _text[end] is '(' or ')' or '"');
    }

    private void RequireTermAfter(string keyword)
    {
        SkipSpace();
        if (AtEnd || Current == ')' || AtKeyword("OR") || AtKeyword("AND"))
            throw Fail(_pos, $"expected a term after {keyword}");
    }

    private void RequireTermEnd()
    {
        if (!AtEnd && !char.IsWhiteSpace(Current) && Current != ')')
            throw Fail(_pos, "expected a space or ')' after the term (quote text that holds '(', '\"' or an operator)");
    }

    private T Nested<T>(int start, Func<T> parse)
    {
        if (++_depth > MaxDepth)
            throw Fail(start, $"expected at most {MaxDepth} nested parentheses and NOTs");
        try
        {
            return parse();
        }
        finally
        {
            _depth--;
        }
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
            _pos++;
    }

    private QueryParseException Fail(int offset, string expected) => Fail(offset, expected, FoundAt(offset));

    private static QueryParseException Fail(int offset, string expected, string? found) => new(offset, expected, found);

    /// <summary>What the query holds at an offset, for "got …": a parenthesis, or the text up to the next space.</summary>
    private string? FoundAt(int offset)
    {
        if (offset >= _text.Length)
            return null;
        if (_text[offset] is '(' or ')')
            return _text[offset].ToString();
        var end = offset;
        while (end < _text.Length && !char.IsWhiteSpace(_text[end]))
            end++;
        return end == offset ? _text[offset].ToString() : Shorten(_text[offset..end]);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
