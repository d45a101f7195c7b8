using System.Collections;
using System.Globalization;

namespace Threadline.Tracer.Configuration;

/// <summary>Builds <see cref="ThreadlineOptions"/> from environment variables; unknown or malformed values keep the default.</summary>
internal static class EnvironmentOptions
{
    public static Func<string, string?> Process { get; } = Environment.GetEnvironmentVariable;

    public static ThreadlineOptions Read(Func<string, string?> env)
    {
        var o = new ThreadlineOptions();
        o.Enabled = Bool(env(EnvNames.Enabled), o.Enabled);
        if (Uri.TryCreate(env(EnvNames.Endpoint), UriKind.Absolute, out var endpoint))
            o.Endpoint = endpoint;
        o.Token = NullIfEmpty(env(EnvNames.Token));
        o.FunctionName = NullIfEmpty(env(EnvNames.FunctionName));
        o.FlushBudget = Millis(env(EnvNames.FlushBudgetMs), o.FlushBudget);
        o.DeadlineMargin = Millis(env(EnvNames.DeadlineMarginMs), o.DeadlineMargin);
        o.MaxFieldBytes = Int(env(EnvNames.MaxFieldBytes), o.MaxFieldBytes);
        o.MaxInvocationBytes = Int(env(EnvNames.MaxInvocationBytes), o.MaxInvocationBytes);
        o.ErrorSizeFactor = Int(env(EnvNames.ErrorSizeFactor), o.ErrorSizeFactor);
        o.CapturePayloads = Bool(env(EnvNames.CapturePayloads), o.CapturePayloads);
        o.CaptureAws = Bool(env(EnvNames.CaptureAws), o.CaptureAws);
        o.CaptureHttp = Bool(env(EnvNames.CaptureHttp), o.CaptureHttp);
        o.CaptureLogs = Bool(env(EnvNames.CaptureLogs), o.CaptureLogs);
        o.CaptureEnvironment = Bool(env(EnvNames.CaptureEnvironment), o.CaptureEnvironment);
        o.InjectTraceContext = Bool(env(EnvNames.InjectTraceparent), o.InjectTraceContext);
        o.ScrubDefaults = Bool(env(EnvNames.ScrubDefaults), o.ScrubDefaults);
        foreach (var pattern in List(env(EnvNames.ScrubKeys)))
            o.ScrubKeyPatterns.Add(pattern);
        foreach (var path in List(env(EnvNames.ScrubPaths)))
            o.ScrubPaths.Add(path);
        return o;
    }

    /// <summary>A snapshot of the process environment (for the scrubbed cold-start record).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Snapshot()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            yield return new((string)entry.Key, entry.Value as string ?? "");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool Bool(string? value, bool fallback) => value?.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" or "YES" or "ON" => true,
        "0" or "FALSE" or "NO" or "OFF" => false,
        _ => fallback,
    };

    private static int Int(string? value, int fallback) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static TimeSpan Millis(string? value, TimeSpan fallback) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? TimeSpan.FromMilliseconds(n) : fallback;

    private static IEnumerable<string> List(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
