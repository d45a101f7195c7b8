using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>
/// Attributes as the tables hold them: parallel arrays of keys and values per type (<c>attr_str_keys</c>,
/// <c>attr_str_values</c>, <c>attr_num_…</c>, <c>attr_bool_…</c>), written and read in that column order.
/// </summary>
internal static class SearchAttributeArrays
{
    public static readonly string[] Columns = ["attr_str_keys", "attr_str_values", "attr_num_keys", "attr_num_values", "attr_bool_keys", "attr_bool_values"];

    public static string Select => string.Join(", ", Columns);

    /// <summary>Writes the six arrays of the attributes (one scope's, distinct).</summary>
    public static void Write(RowBinaryWriter writer, IReadOnlyList<SearchAttributeRow> attributes)
    {
        var texts = attributes.Where(a => a.Text is not null).ToList();
        var numbers = attributes.Where(a => a.Number is not null).ToList();
        var booleans = attributes.Where(a => a.Boolean is not null).ToList();
        Strings(writer, texts.Select(a => a.Key).ToList());
        Strings(writer, texts.Select(a => a.Text!).ToList());
        Strings(writer, numbers.Select(a => a.Key).ToList());
        writer.ArrayLength(numbers.Count);
        foreach (var number in numbers)
            writer.Float64(number.Number!.Value);
        Strings(writer, booleans.Select(a => a.Key).ToList());
        writer.ArrayLength(booleans.Count);
        foreach (var boolean in booleans)
            writer.UInt8(boolean.Boolean!.Value ? (byte)1 : (byte)0);
    }

    public static void Strings(RowBinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.ArrayLength(values.Count);
        foreach (var value in values)
            writer.String(value);
    }

    /// <summary>The attributes of the six arrays starting at field <paramref name="first"/> of a row read.</summary>
    public static IEnumerable<SearchAttributeRow> Read(TabSeparatedReader reader, int first, Query.Fields.AttributeScope scope)
    {
        var strKeys = reader.GetStringArray(first);
        var strValues = reader.GetStringArray(first + 1);
        var numKeys = reader.GetStringArray(first + 2);
        var numValues = reader.GetStringArray(first + 3);
        var boolKeys = reader.GetStringArray(first + 4);
        var boolValues = reader.GetStringArray(first + 5);
        for (var i = 0; i < strKeys.Count; i++)
            yield return SearchAttributeRow.OfText(scope, strKeys[i]!, strValues[i]!);
        for (var i = 0; i < numKeys.Count; i++)
            yield return SearchAttributeRow.OfNumber(scope, numKeys[i]!, ParseNumber(numValues[i]!));
        for (var i = 0; i < boolKeys.Count; i++)
            yield return SearchAttributeRow.OfBoolean(scope, boolKeys[i]!, boolValues[i] == "1");
    }

    public static double ParseNumber(string text) => text switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
    };
}
