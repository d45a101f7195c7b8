using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Query.Completion;

public enum CompletionKind
{
    /// <summary>A field name (or a free-text word: the text so far does not say which); suggest fields.</summary>
    Field,
    /// <summary>The key after <c>attr.</c> or <c>resource.</c>; suggest attribute keys of <see cref="CompletionContext.Scope"/>.</summary>
    AttributeKey,
    /// <summary>The value after <c>field op</c>; suggest values of <see cref="CompletionContext.Field"/>.</summary>
    Value,
    /// <summary>Inside a quoted free-text phrase: nothing to suggest.</summary>
    Phrase,
}

/// <summary>
/// What is being typed at the caret: its kind, the text typed so far (<see cref="Prefix"/>: unquoted, without
/// '*', '-' or the field), and the span of the query a picked suggestion replaces (the whole word or value under the
/// caret, including what follows the caret).
/// </summary>
public sealed record CompletionContext(
    CompletionKind Kind,
    string Prefix,
    int ReplaceStart,
    int ReplaceLength,
    string? FieldName = null,
    QueryField? Field = null,
    ComparisonOperator? Operator = null,
    AttributeScope? Scope = null);
