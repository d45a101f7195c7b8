using Threadline.Query.Evaluation;
using Threadline.Query.Fields;
using Threadline.Telemetry;

namespace Threadline.Storage.Derived.Search;

/// <summary>A stored search row as the query language's reference evaluator sees it: what a backend's translation of a
/// query must agree with, and how matched text is found for display.</summary>
public sealed class SearchRowDocument(SearchInvocationRow row) : ISearchDocument
{
    public IEnumerable<SearchValue> GetValues(FieldDefinition field)
    {
        if (field == FieldCatalog.Duration)
            return [SearchValue.OfDuration(row.DurationNanos)];
        if (field == FieldCatalog.Cold)
            return [SearchValue.Of(row.ColdStart)];
        if (field == FieldCatalog.Vip)
            return [SearchValue.Of(row.Vip)];
        if (field == FieldCatalog.MessageId)
            return row.MessageIds.Select(SearchValue.Of);
        var text = field.Name switch
        {
            "function" => row.Function,
            "entry" => row.Entry,
            "trigger" => row.TriggerKind,
            "status" => row.Failed ? "error" : "ok",
            "error" => row.ErrorType,
            "message" => row.ErrorMessage,
            "version" => row.Version,
            "user" => row.User,
            "request" => row.RequestId,
            "trace" => TelemetryIds.FormatTraceId(row.TraceId),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "not a field of search rows"),
        };
        return text is null ? [] : [SearchValue.Of(text)];
    }

    public IEnumerable<SearchValue> GetAttribute(AttributeScope scope, string key) =>
        row.Attributes.Where(a => a.Scope == scope && a.Key == key).Select(a =>
            a.Text is { } text ? SearchValue.Of(text) : a.Number is { } number ? SearchValue.Of(number) : SearchValue.Of(a.Boolean!.Value));

    public IEnumerable<SearchText> GetTexts() => row.Texts.Select(t => new SearchText(t.Source, t.Text));
}
