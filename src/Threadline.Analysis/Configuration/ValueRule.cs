using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Configuration;

public enum ValueSource
{
    /// <summary>A span attribute of the invocation (root span first), e.g. <c>enduser.id</c>.</summary>
    Attribute,
    /// <summary>An HTTP header of the entry event (<c>headers</c> of an API Gateway event), case-insensitive.</summary>
    Header,
    /// <summary>A path into the event JSON (<c>threadline.event</c>): <c>$.requestContext.authorizer.claims.sub</c>, <c>$.Records[0].body</c>.</summary>
    JsonPath,
}

/// <summary>Where a value (the user id, a VIP marker) is read from an invocation.</summary>
public sealed class ValueRule
{
    public ValueSource Source { get; init; } = ValueSource.Attribute;

    /// <summary>The attribute name, the header name, or the JSON path.</summary>
    public string Name { get; init; } = "enduser.id";

    public IReadOnlyList<string> Validate(string what)
    {
        if (string.IsNullOrWhiteSpace(Name))
            return [$"{what}: a name or path must be given."];
        if (Source == ValueSource.JsonPath && !Name.StartsWith('$'))
            return [$"{what}: a JSON path starts with '$' (got '{Name}')."];
        if (Source == ValueSource.JsonPath)
        {
            try
            {
                JsonPath.Steps(Name);
            }
            catch (FormatException e)
            {
                return [$"{what}: {e.Message}"];
            }
        }
        return [];
    }

    /// <summary>
    /// The text form used by environment variables: <c>attribute:enduser.id</c>, <c>header:X-User-Id</c>,
    /// <c>jsonpath:$.body.userId</c>.
    /// </summary>
    public static ValueRule? Parse(string text, List<string> errors)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        ValueSource? source = colon < 0 ? null : text[..colon].Trim().ToLowerInvariant() switch
        {
            "attribute" => ValueSource.Attribute,
            "header" => ValueSource.Header,
            "jsonpath" => ValueSource.JsonPath,
            _ => null,
        };
        if (source is null)
        {
            errors.Add($"A rule is attribute:<name>, header:<name> or jsonpath:<$.path> (got '{text}').");
            return null;
        }
        var rule = new ValueRule { Source = source.Value, Name = text[(colon + 1)..].Trim() };
        var problems = rule.Validate(text);
        errors.AddRange(problems);
        return problems.Count == 0 ? rule : null;
    }
}

/// <summary>A VIP is a user whose invocation yields one of <see cref="Values"/> by <see cref="Rule"/> (e.g. a tier claim).</summary>
public sealed class VipRule
{
    public required ValueRule Rule { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];

    public IReadOnlyList<string> Validate() =>
        Values.Count == 0 ? ["VipRule: at least one value must be given."] : Rule.Validate("VipRule");
}
