using System.Collections.Immutable;
using Threadline.Query.Syntax;

namespace Threadline.Query.Fields;

/// <summary>A field of the catalogue: its name in queries, its type, and what the autocomplete shows about it.</summary>
public sealed class FieldDefinition
{
    internal FieldDefinition(string name, FieldType type, string description, string example)
    {
        Name = name;
        Type = type;
        Description = description;
        Example = example;
    }

    /// <summary>The name in queries (matched case-insensitively, written in lower case).</summary>
    public string Name { get; }

    public FieldType Type { get; }

    public string Description { get; }

    /// <summary>A complete example term, e.g. <c>duration&gt;500ms</c>.</summary>
    public string Example { get; }

    public ImmutableArray<ComparisonOperator> Operators => FieldTypes.Operators(Type);

    /// <summary>Every value the field can take, where that is a short fixed list (status, booleans); empty otherwise.</summary>
    public ImmutableArray<string> KnownValues => FieldTypes.KnownValues(Type);

    public override string ToString() => Name;
}

public static class FieldTypes
{
    private static readonly ImmutableArray<ComparisonOperator> EqualityOnly = [ComparisonOperator.Equal, ComparisonOperator.NotEqual];
    private static readonly ImmutableArray<ComparisonOperator> All = [.. Enum.GetValues<ComparisonOperator>()];

    public static ImmutableArray<ComparisonOperator> Operators(FieldType type) =>
        type is FieldType.Duration or FieldType.Attribute ? All : EqualityOnly;

    public static ImmutableArray<string> KnownValues(FieldType type) => type switch
    {
        FieldType.Status => ["ok", "error"],
        FieldType.Boolean => ["true", "false"],
        _ => [],
    };

    /// <summary>What a value of the type looks like, for error messages: "a duration such as 500ms".</summary>
    public static string Expectation(FieldType type) => type switch
    {
        FieldType.Keyword => "a value, a prefix such as send* or a substring such as *mail*",
        FieldType.Id => "an id or an id prefix such as 3f2a*",
        FieldType.TraceId => "a trace id of 32 hex digits or a hex prefix such as 4bf92f*",
        FieldType.Status => "ok or error",
        FieldType.Boolean => "true or false",
        FieldType.Duration => "a duration such as 500ms",
        FieldType.Attribute => "a number, true/false or a string",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
