namespace Threadline.Analysis.Configuration;

/// <summary>
/// Analysis options from environment variables, for the executable: <c>THREADLINE_USER_RULE</c>
/// (<c>header:X-User-Id</c>), <c>THREADLINE_VIP_USERS</c> (comma-separated ids), <c>THREADLINE_VIP_RULE</c>
/// (<c>jsonpath:$.body.vip=true|yes</c>), <c>THREADLINE_BASE_URL</c>, <c>THREADLINE_ALERT_INTERVAL</c> (seconds between
/// alert evaluations, default 30), <c>THREADLINE_ANALYSIS_CACHE_TRACES</c> (traces whose span details stay in memory,
/// default 20,000); <c>THREADLINE_ALERTS</c> is read by the module.
/// </summary>
public static class AnalysisEnvironment
{
    public const string UserRule = "THREADLINE_USER_RULE";
    public const string VipUsers = "THREADLINE_VIP_USERS";
    public const string VipRule = "THREADLINE_VIP_RULE";
    public const string BaseUrl = "THREADLINE_BASE_URL";
    public const string AlertInterval = "THREADLINE_ALERT_INTERVAL";
    public const string CacheTraces = "THREADLINE_ANALYSIS_CACHE_TRACES";

    /// <summary>The options the variables describe, and every problem with them.</summary>
    public static (AnalysisOptions Options, IReadOnlyList<string> Errors) Read(Func<string, string?> variable)
    {
        var errors = new List<string>();
        var defaults = new AnalysisOptions();
        var user = variable(UserRule) is { Length: > 0 } userText ? ValueRule.Parse(userText, errors) : null;
        VipRule? vip = null;
        if (variable(VipRule) is { Length: > 0 } vipText)
        {
            var equals = vipText.LastIndexOf('=');
            if (equals < 0)
                errors.Add($"{VipRule} is <rule>=<value>[|<value>…] (got '{vipText}').");
            else if (ValueRule.Parse(vipText[..equals], errors) is { } rule)
                vip = new VipRule { Rule = rule, Values = vipText[(equals + 1)..].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        }
        Uri? baseUrl = null;
        if (variable(BaseUrl) is { Length: > 0 } urlText && !Uri.TryCreate(urlText, UriKind.Absolute, out baseUrl))
            errors.Add($"{BaseUrl} must be an absolute URL (got '{urlText}').");
        var interval = defaults.EvaluationInterval;
        if (variable(AlertInterval) is { Length: > 0 } intervalText)
        {
            var seconds = intervalText.TrimEnd('s', 'S');
            if (double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
                interval = TimeSpan.FromSeconds(value);
            else
                errors.Add($"{AlertInterval} is a number of seconds such as 30 or 2s (got '{intervalText}').");
        }
        var cacheTraces = defaults.DetailsCacheTraces;
        if (variable(CacheTraces) is { Length: > 0 } cacheText
            && !int.TryParse(cacheText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out cacheTraces))
        {
            errors.Add($"{CacheTraces} is a whole number of traces such as 20000, or 0 (got '{cacheText}').");
            cacheTraces = defaults.DetailsCacheTraces;
        }
        var options = new AnalysisOptions
        {
            DetailsCacheTraces = cacheTraces,
            EvaluationInterval = interval,
            UserRule = user ?? defaults.UserRule,
            VipUsers = variable(VipUsers)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            VipRule = vip,
            BaseUrl = baseUrl,
        };
        errors.AddRange(options.Validate());
        return (options, errors);
    }
}
