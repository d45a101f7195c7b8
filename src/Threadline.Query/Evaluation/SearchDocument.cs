using Threadline.Query.Fields;

namespace Threadline.Query.Evaluation;

/// <summary>An in-memory <see cref="ISearchDocument"/>, filled with checked values.</summary>
public sealed class SearchDocument : ISearchDocument
{
    private readonly Dictionary<FieldDefinition, List<SearchValue>> _fields = [];
    private readonly Dictionary<(AttributeScope, string), List<SearchValue>> _attributes = [];
    private readonly List<SearchText> _texts = [];

    /// <summary>Adds a value to a catalogue field; the value's kind must be the one the field's type holds.</summary>
    public SearchDocument With(FieldDefinition field, SearchValue value)
    {
        var expected = field.Type switch
        {
            FieldType.Boolean => SearchValueKind.Boolean,
            FieldType.Duration => SearchValueKind.Duration,
            _ => SearchValueKind.String,
        };
        if (value.Kind != expected)
            throw new ArgumentException($"{field.Name} holds {expected} values, not {value.Kind}", nameof(value));
        if (field.Type == FieldType.Status && value.Text is not ("ok" or "error"))
            throw new ArgumentException($"status is ok or error, not '{value.Text}'", nameof(value));
        if (value.Kind == SearchValueKind.Duration && value.Nanoseconds < 0)
            throw new ArgumentException("a duration is not negative", nameof(value));
        Values(_fields, field).Add(value);
        return this;
    }

    public SearchDocument With(FieldDefinition field, string value) => With(field, SearchValue.Of(value));

    public SearchDocument With(FieldDefinition field, bool value) => With(field, SearchValue.Of(value));

    public SearchDocument WithDuration(TimeSpan duration) =>
        With(FieldCatalog.Duration, SearchValue.OfDuration(duration.Ticks * 100));

    /// <summary>Adds a string, number or boolean value to an attribute.</summary>
    public SearchDocument WithAttribute(AttributeScope scope, string key, SearchValue value)
    {
        if (value.Kind == SearchValueKind.Duration)
            throw new ArgumentException("attributes hold strings, numbers and booleans", nameof(value));
        Values(_attributes, (scope, key)).Add(value);
        return this;
    }

    public SearchDocument WithText(string source, string text)
    {
        _texts.Add(new SearchText(source, text));
        return this;
    }

    public IEnumerable<SearchValue> GetValues(FieldDefinition field) => _fields.GetValueOrDefault(field) ?? [];

    public IEnumerable<SearchValue> GetAttribute(AttributeScope scope, string key) =>
        _attributes.GetValueOrDefault((scope, key)) ?? [];

    public IEnumerable<SearchText> GetTexts() => _texts;

    private static List<SearchValue> Values<TKey>(Dictionary<TKey, List<SearchValue>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var values))
            map[key] = values = [];
        return values;
    }
}
