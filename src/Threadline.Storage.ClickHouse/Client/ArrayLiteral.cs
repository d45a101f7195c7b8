using System.Text;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// Parses an array as ClickHouse writes it in text formats: <c>[1,-2]</c>, <c>['a','b\'c',NULL]</c>. Returns each
/// element's text: strings unquoted and unescaped, numbers as written, NULL as null. Nested arrays are not needed
/// by Threadline and are refused.
/// </summary>
internal static class ArrayLiteral
{
    public static IReadOnlyList<string?> Parse(ReadOnlySpan<byte> text)
    {
        if (text.Length < 2 || text[0] != (byte)'[' || text[^1] != (byte)']')
            throw new FormatException($"not an array literal: {System.Text.Encoding.UTF8.GetString(text)}");
        var elements = new List<string?>();
        var i = 1;
        var end = text.Length - 1;
        var bytes = new List<byte>();
        while (i < end)
        {
            if (text[i] == (byte)'\'')
            {
                bytes.Clear();
                i++;
                while (i < end && text[i] != (byte)'\'')
                {
                    if (text[i] == (byte)'\\' && i + 1 < end)
                    {
                        i++;
                        bytes.Add(text[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'t' => (byte)'\t',
                            (byte)'r' => (byte)'\r',
                            (byte)'b' => (byte)'\b',
                            (byte)'f' => (byte)'\f',
                            (byte)'0' => 0,
                            (byte)'a' => 7,
                            (byte)'v' => 11,
                            var other => other,
                        });
                    }
                    else
                    {
                        bytes.Add(text[i]);
                    }
                    i++;
                }
                if (i >= end)
                    throw new FormatException("an array's string element is not closed");
                i++;
                elements.Add(System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
            }
            else if (text[i] == (byte)'[')
            {
                throw new FormatException("nested arrays are not supported");
            }
            else
            {
                var stop = text[i..end].IndexOf((byte)',');
                var length = stop < 0 ? end - i : stop;
                var element = System.Text.Encoding.ASCII.GetString(text.Slice(i, length));
                elements.Add(element == "NULL" ? null : element);
                i += length;
            }
            if (i < end)
            {
                if (text[i] != (byte)',')
                    throw new FormatException($"expected ',' in array literal at {i}");
                i++;
            }
        }
        return elements;
    }
}
