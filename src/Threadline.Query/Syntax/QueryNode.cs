using System.Collections.Immutable;

namespace Threadline.Query.Syntax;

/// <summary>A parsed search query. Trees from the parser are normalized: AND and OR have at least two operands and
/// never an operand of their own kind (nested groups are flattened), so equal queries compare equal.</summary>
public abstract record QueryNode;

/// <summary>The empty query: matches everything.</summary>
public sealed record MatchAllNode : QueryNode;

/// <summary><c>field:value</c>, <c>field&gt;value</c> and the other comparisons.</summary>
public sealed record TermNode(QueryField Field, ComparisonOperator Operator, QueryValue Value) : QueryNode;

/// <summary>A bare word or a quoted phrase: matched case-insensitively anywhere in the payloads and log lines.</summary>
public sealed record FreeTextNode(string Text) : QueryNode;

public sealed record NotNode(QueryNode Operand) : QueryNode;

public sealed record AndNode(ImmutableArray<QueryNode> Operands) : QueryNode
{
    public bool Equals(AndNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(17, (hash, operand) => HashCode.Combine(hash, operand));
}

public sealed record OrNode(ImmutableArray<QueryNode> Operands) : QueryNode
{
    public bool Equals(OrNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(31, (hash, operand) => HashCode.Combine(hash, operand));
}
