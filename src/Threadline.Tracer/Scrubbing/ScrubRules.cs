using System.Text.RegularExpressions;

namespace Threadline.Tracer.Scrubbing;

/// <summary>
/// Which keys and JSON paths are sensitive. Built once per function from its options. The server compiles this folder
/// too (linked into Threadline.Ingest) to scrub what third-party tracers send with the same rules, so nothing here may
/// depend on the rest of the tracer.
/// </summary>
internal sealed class ScrubRules
{
    public const string Mask = "[scrubbed]";

    /// <summary>Matched case-insensitively anywhere in a key name.</summary>
    public static readonly IReadOnlyList<string> DefaultKeyPatterns =
    [
        "pass", "secret", "key", "token", "credential", "passphrase", "authorization", "signature",
        "session[-_ ]?token", "cookie",
    ];

    private readonly Regex? _keys;
    private readonly IReadOnlyList<string[]> _paths;

    public ScrubRules(bool useDefaults, IEnumerable<string> keyPatterns, IEnumerable<string> paths)
    {
        var patterns = (useDefaults ? DefaultKeyPatterns : []).Concat(keyPatterns).Where(p => p.Length > 0).ToList();
        _keys = patterns.Count == 0
            ? null
            : new Regex(string.Join('|', patterns.Select(p => $"(?:{p})")),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        _paths = paths.Select(JsonPathPattern.Parse).Where(p => p.Length > 0).ToList();
    }

    public bool HasPaths => _paths.Count > 0;

    /// <summary>
    /// Whether the key is to be masked. A check that runs out of its time (a pathological configured pattern, or a
    /// thread starved for longer than the timeout on a busy machine) masks the key: scrubbing fails closed, and never
    /// throws into the function or the ingest.
    /// </summary>
    public bool IsSensitiveKey(string key)
    {
        if (_keys is null || key.Length == 0)
            return false;
        try
        {
            return _keys.IsMatch(key);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    public bool IsSensitivePath(IReadOnlyList<string> path) => _paths.Any(p => JsonPathPattern.Matches(p, path));
}
