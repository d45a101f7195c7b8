namespace Threadline.Query.Syntax;

/// <summary>The right-hand side of a term, already typed for its field.</summary>
public abstract record QueryValue;

/// <summary>A string compared exactly, as a prefix (<c>foo*</c>) or as a substring (<c>*foo*</c>). Case-sensitive.</summary>
public sealed record TextValue(string Text, TextMatch Match = TextMatch.Exact) : QueryValue;

public enum TextMatch
{
    Exact,
    Prefix,
    Contains,
}

/// <summary><c>field:*</c>: the field has any value.</summary>
public sealed record AnyValue : QueryValue;

public sealed record NumberValue(double Number) : QueryValue;

/// <summary>A duration such as <c>500ms</c>, kept in whole nanoseconds.</summary>
public sealed record DurationValue(long Nanoseconds) : QueryValue;

public sealed record BooleanValue(bool Value) : QueryValue;
