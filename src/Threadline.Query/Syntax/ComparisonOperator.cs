namespace Threadline.Query.Syntax;

public enum ComparisonOperator
{
    /// <summary><c>:</c></summary>
    Equal,
    /// <summary><c>!=</c>: exactly <c>NOT field:value</c>, so it also matches documents without the field.</summary>
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

public static class ComparisonOperators
{
    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => ":",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static bool IsRange(this ComparisonOperator op) =>
        op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Less or ComparisonOperator.LessOrEqual;
}
