namespace Threadline.Sandbox.DynamoDb;

/// <summary>Splits a DynamoDB expression into names, <c>#placeholders</c>, <c>:values</c> and punctuation.</summary>
internal sealed class ExpressionTokens
{
    private readonly List<string> _tokens = [];
    private int _next;

    public ExpressionTokens(string expression)
    {
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '#' or ':')
            {
                var start = i++;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] is '_' or '-'))
                {
                    i++;
                }

                _tokens.Add(expression[start..i]);
            }
            else if (i + 1 < expression.Length && expression.Substring(i, 2) is "<>" or "<=" or ">=")
            {
                _tokens.Add(expression.Substring(i, 2));
                i += 2;
            }
            else if ("()=<>,+-.[]".Contains(c, StringComparison.Ordinal))
            {
                _tokens.Add(c.ToString());
                i++;
            }
            else
            {
                throw Invalid(expression, $"unexpected '{c}'");
            }
        }
    }

    public bool AtEnd => _next >= _tokens.Count;

    public string? Peek => AtEnd ? null : _tokens[_next];

    public string Take() => AtEnd ? throw new AwsException("ValidationException", "Invalid expression: unexpected end") : _tokens[_next++];

    public bool TakeIf(string token)
    {
        if (!AtEnd && string.Equals(_tokens[_next], token, StringComparison.OrdinalIgnoreCase))
        {
            _next++;
            return true;
        }

        return false;
    }

    public void Expect(string token)
    {
        if (!TakeIf(token))
        {
            throw new AwsException("ValidationException", $"Invalid expression: expected '{token}' but found '{Peek ?? "end"}'");
        }
    }

    public static AwsException Invalid(string expression, string why) =>
        new("ValidationException", $"Invalid expression: {why}; expression: {expression}");
}
