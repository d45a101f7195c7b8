using Threadline.Query.Fields;

namespace Threadline.Query.Completion;

/// <summary>A field the autocomplete offers: its text as inserted (<c>attr.</c> for the attribute namespaces).</summary>
public sealed record FieldSuggestion(string Name, string Description, FieldType Type, string Example);
