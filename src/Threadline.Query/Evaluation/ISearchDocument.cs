using Threadline.Query.Fields;

namespace Threadline.Query.Evaluation;

/// <summary>
/// What a query is evaluated against: one invocation (or transaction) as search sees it. A field or attribute may
/// hold several values (an invocation's spans each carry attributes; a batch receives several messages): a term
/// matches when any of them does.
/// </summary>
public interface ISearchDocument
{
    /// <summary>The values of a catalogue field: strings for keyword, id and status fields (status is "ok" or
    /// "error"), booleans for boolean fields, a duration for <c>duration</c>; trace ids in lower-case hex, as queries write them. Empty when the
    /// document has none.</summary>
    IEnumerable<SearchValue> GetValues(FieldDefinition field);

    /// <summary>The values of a span (any span of the document) or resource attribute, with their types.</summary>
    IEnumerable<SearchValue> GetAttribute(AttributeScope scope, string key);

    /// <summary>The texts free text searches: payloads (event, response, request and response bodies) and log lines.</summary>
    IEnumerable<SearchText> GetTexts();
}

/// <summary>A searchable text and where it came from (e.g. "event", "response", "log").</summary>
public sealed record SearchText(string Source, string Text);
