namespace Threadline.Tracer.Scrubbing;

/// <summary>The small JSONPath subset accepted for exact scrub paths: <c>$.a.b</c>, <c>$.a[0]</c>, <c>$.a[*].b</c>, <c>$['a b']</c>.</summary>
internal static class JsonPathPattern
{
    public const string Wildcard = "*";

    public static string[] Parse(string path)
    {
        var tokens = new List<string>();
        var p = path.Trim();
        var i = p.StartsWith('$') ? 1 : 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = p.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? p.Length : end;
                tokens.Add(p[(i + 1)..end]);
                i = end;
            }
            else if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                if (end < 0)
                    return [];
                tokens.Add(p[(i + 1)..end].Trim('\'', '"'));
                i = end + 1;
            }
            else
            {
                var end = p.IndexOfAny(['.', '['], i);
                end = end < 0 ? p.Length : end;
                tokens.Add(p[i..end]);
                i = end;
            }
        }
        return tokens.ToArray();
    }

    public static bool Matches(string[] pattern, IReadOnlyList<string> path)
    {
        if (pattern.Length != path.Count)
            return false;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != Wildcard && !string.Equals(pattern[i], path[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
