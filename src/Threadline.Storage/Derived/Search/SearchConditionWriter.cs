using System.Text;
using Threadline.Query.Syntax;

namespace Threadline.Storage.Derived.Search;

/// <summary>
/// The walk both backends' translators share: a query's tree into one SQL condition, with the reference evaluator's
/// logic (AND, OR, NOT, and <c>!=</c> as the negation of <c>:</c>, so a missing field passes it). A backend writes the
/// leaves: free text and single terms, each true or false, never NULL.
/// </summary>
public abstract class SearchConditionWriter
{
    protected StringBuilder Sql { get; } = new();

    /// <summary>The backend's literal for a condition that always holds.</summary>
    protected abstract string Always { get; }

    protected abstract void WriteFreeText(FreeTextNode free);

    /// <summary>A term whose operator is not <c>!=</c>.</summary>
    protected abstract void WriteTerm(TermNode term);

    protected void Write(QueryNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case MatchAllNode:
                Sql.Append(Always);
                break;
            case FreeTextNode free:
                WriteFreeText(free);
                break;
            case NotNode not:
                Negate(() => Write(not.Operand));
                break;
            case AndNode and:
                Join(and.Operands, " AND ");
                break;
            case OrNode or:
                Join(or.Operands, " OR ");
                break;
            case TermNode term when term.Operator == ComparisonOperator.NotEqual:
                Negate(() => WriteTerm(term with { Operator = ComparisonOperator.Equal }));
                break;
            case TermNode term:
                WriteTerm(term);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "unknown query node");
        }
    }

    private void Negate(Action operand)
    {
        Sql.Append("NOT (");
        operand();
        Sql.Append(')');
    }

    private void Join(IReadOnlyList<QueryNode> operands, string separator)
    {
        Sql.Append('(');
        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0)
                Sql.Append(separator);
            Write(operands[i]);
        }
        Sql.Append(')');
    }
}
