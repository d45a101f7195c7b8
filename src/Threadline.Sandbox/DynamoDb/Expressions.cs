using System.Text.Json.Nodes;

namespace Threadline.Sandbox.DynamoDb;

/// <summary>
/// The emulated subset of DynamoDB expressions, over top-level attributes:
/// update <c>SET a = :v, b = b + :n, c = if_not_exists(c, :z), d = list_append(d, :l) REMOVE e</c>;
/// conditions (and key conditions, filters) with <c>attribute_exists</c>, <c>attribute_not_exists</c>, <c>begins_with</c>,
/// <c>contains</c>, comparisons, <c>BETWEEN</c>, AND, OR, NOT, parentheses.
/// </summary>
internal sealed class Expressions(JsonObject? names, JsonObject? values)
{
    public static Expressions From(JsonObject input) =>
        new(input["ExpressionAttributeNames"] as JsonObject, input["ExpressionAttributeValues"] as JsonObject);

    public void ApplyUpdate(JsonObject item, string expression)
    {
        var tokens = new ExpressionTokens(expression);
        while (!tokens.AtEnd)
        {
            var clause = tokens.Take().ToUpperInvariant();
            do
            {
                var path = Path(tokens, expression);
                switch (clause)
                {
                    case "SET":
                        tokens.Expect("=");
                        var value = Operand(tokens, item, expression)
                            ?? throw new AwsException("ValidationException", $"The provided expression refers to an attribute that does not exist in the item; expression: {expression}");
                        item[path] = value.DeepClone();
                        break;
                    case "REMOVE":
                        item.Remove(path);
                        break;
                    default:
                        throw ExpressionTokens.Invalid(expression, $"the {clause} clause is not emulated");
                }
            }
            while (tokens.TakeIf(","));
        }
    }

    public bool Condition(JsonObject? item, string expression)
    {
        var tokens = new ExpressionTokens(expression);
        var result = Or(tokens, item ?? [], expression);
        return tokens.AtEnd ? result : throw ExpressionTokens.Invalid(expression, $"unexpected '{tokens.Peek}'");
    }

    private bool Or(ExpressionTokens tokens, JsonObject item, string expression)
    {
        var result = And(tokens, item, expression);
        while (tokens.TakeIf("OR"))
        {
            result |= And(tokens, item, expression);
        }

        return result;
    }

    private bool And(ExpressionTokens tokens, JsonObject item, string expression)
    {
        var result = Not(tokens, item, expression);
        while (tokens.TakeIf("AND"))
        {
            result &= Not(tokens, item, expression);
        }

        return result;
    }

    private bool Not(ExpressionTokens tokens, JsonObject item, string expression)
    {
        if (tokens.TakeIf("NOT"))
        {
            return !Not(tokens, item, expression);
        }

        if (tokens.TakeIf("("))
        {
            var inner = Or(tokens, item, expression);
            tokens.Expect(")");
            return inner;
        }

        if (tokens.Peek is "attribute_exists" or "attribute_not_exists")
        {
            var exists = tokens.Take() == "attribute_exists";
            tokens.Expect("(");
            var path = Path(tokens, expression);
            tokens.Expect(")");
            return item.ContainsKey(path) == exists;
        }

        if (tokens.Peek is "begins_with" or "contains")
        {
            var (function, subject, argument) = Call(tokens, item, expression);
            return function == "begins_with"
                ? subject?["S"]?.GetValue<string>() is { } text && argument?["S"]?.GetValue<string>() is { } start && text.StartsWith(start, StringComparison.Ordinal)
                : AttributeValues.Contains(subject, argument);
        }

        var left = Operand(tokens, item, expression);
        if (tokens.TakeIf("BETWEEN"))
        {
            var low = Operand(tokens, item, expression);
            tokens.Expect("AND");
            var high = Operand(tokens, item, expression);
            return left is not null && low is not null && high is not null
                && AttributeValues.Compare(left, low) >= 0 && AttributeValues.Compare(left, high) <= 0;
        }

        var op = tokens.Take();
        var right = Operand(tokens, item, expression);
        if (op is "=" or "<>")
        {
            return AttributeValues.AreEqual(left, right) == (op == "=");
        }

        if (left is null || right is null)
        {
            return false;
        }

        var order = AttributeValues.Compare(left, right);
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => throw ExpressionTokens.Invalid(expression, $"the comparator '{op}' is not emulated"),
        };
    }

    /// <summary>A two-operand function call such as <c>begins_with(a, :v)</c>: its name and its operands' values.</summary>
    private (string Function, JsonNode? First, JsonNode? Second) Call(ExpressionTokens tokens, JsonObject item, string expression)
    {
        var function = tokens.Take();
        tokens.Expect("(");
        var first = Operand(tokens, item, expression);
        tokens.Expect(",");
        var second = Operand(tokens, item, expression);
        tokens.Expect(")");
        return (function, first, second);
    }

    /// <summary>An operand's value, or null for a path to a missing attribute.</summary>
    private JsonNode? Operand(ExpressionTokens tokens, JsonObject item, string expression)
    {
        JsonNode? value;
        if (tokens.Peek is "if_not_exists" or "list_append")
        {
            var (function, first, second) = Call(tokens, item, expression);
            value = function == "if_not_exists"
                ? first ?? second
                : AttributeValues.ListAppend(first ?? new JsonObject { ["L"] = new JsonArray() }, second ?? new JsonObject { ["L"] = new JsonArray() });
        }
        else if (tokens.Peek?.StartsWith(':') == true)
        {
            var name = tokens.Take();
            value = values?[name] ?? throw new AwsException("ValidationException", $"Value provided in ExpressionAttributeValues unused in expressions or missing: {name}");
        }
        else
        {
            value = item[Path(tokens, expression)];
        }

        if (tokens.Peek is "+" or "-")
        {
            var add = tokens.Take() == "+";
            var other = Operand(tokens, item, expression);
            return AttributeValues.Arithmetic(
                value ?? throw ExpressionTokens.Invalid(expression, "arithmetic on a missing attribute"),
                other ?? throw ExpressionTokens.Invalid(expression, "arithmetic on a missing attribute"),
                add);
        }

        return value;
    }

    private string Path(ExpressionTokens tokens, string expression)
    {
        var token = tokens.Take();
        var name = token.StartsWith('#')
            ? names?[token]?.GetValue<string>() ?? throw new AwsException("ValidationException", $"An expression attribute name used in the document path is not defined; attribute name: {token}")
            : token;
        if (tokens.Peek is "." or "[")
        {
            throw ExpressionTokens.Invalid(expression, "nested document paths are not emulated");
        }

        return name;
    }
}
