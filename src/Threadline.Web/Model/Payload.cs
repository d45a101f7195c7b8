using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Threadline.Web.Model;

/// <summary>
/// A recorded payload as text for display: JSON is indented, anything else is shown as recorded. The text is always
/// rendered as text (Blazor encodes it), never as markup.
/// </summary>
public static class Payload
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Text(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                try
                {
                    using var document = JsonDocument.Parse(text);
                    return JsonSerializer.Serialize(document.RootElement, Indented);
                }
                catch (JsonException)
                {
                    return text;
                }
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value is System.Collections.IEnumerable items
                    ? string.Join(", ", items.Cast<object?>().Select(i => Text(i)))
                    : value.ToString();
        }
    }
}
