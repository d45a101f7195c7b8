using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Tests;

/// <summary>Analysis options from the environment, as the executable reads them.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void The_user_and_vip_rules_vip_list_and_base_url_are_read()
    {
        var variables = new Dictionary<string, string>
        {
            ["THREADLINE_USER_RULE"] = "jsonpath:$.body.userId",
            ["THREADLINE_VIP_USERS"] = "u-1, u-2",
            ["THREADLINE_VIP_RULE"] = "header:X-Tier=gold|platinum",
            ["THREADLINE_BASE_URL"] = "https://threadline.example.com",
            ["THREADLINE_ANALYSIS_CACHE_TRACES"] = "500",
        };
        var (options, errors) = AnalysisEnvironment.Read(variables.GetValueOrDefault);

        Assert.Empty(errors);
        Assert.Equal((ValueSource.JsonPath, "$.body.userId"), (options.UserRule.Source, options.UserRule.Name));
        Assert.Equal(["u-1", "u-2"], options.VipUsers);
        Assert.Equal((ValueSource.Header, "X-Tier"), (options.VipRule!.Rule.Source, options.VipRule.Rule.Name));
        Assert.Equal(["gold", "platinum"], options.VipRule.Values);
        Assert.Equal(new Uri("https://threadline.example.com"), options.BaseUrl);
        Assert.Equal(500, options.DetailsCacheTraces);
    }

    [Fact]
    public void Nothing_set_gives_the_defaults_and_bad_values_give_every_reason()
    {
        var (defaults, none) = AnalysisEnvironment.Read(_ => null);
        Assert.Empty(none);
        Assert.Equal((ValueSource.Attribute, "enduser.id"), (defaults.UserRule.Source, defaults.UserRule.Name));
        Assert.Equal(AnalysisOptions.DefaultDetailsCacheTraces, defaults.DetailsCacheTraces);

        var bad = new Dictionary<string, string>
        {
            ["THREADLINE_USER_RULE"] = "cookie:session",
            ["THREADLINE_VIP_RULE"] = "jsonpath:$.tier[",
            ["THREADLINE_BASE_URL"] = "not a url",
            ["THREADLINE_ANALYSIS_CACHE_TRACES"] = "-3",
        };
        var (_, errors) = AnalysisEnvironment.Read(bad.GetValueOrDefault);
        Assert.Equal(4, errors.Count);
        Assert.Contains("THREADLINE_ANALYSIS_CACHE_TRACES is a whole number of traces such as 20000, or 0 (got '-3').", errors);
        Assert.Contains("A rule is attribute:<name>, header:<name> or jsonpath:<$.path> (got 'cookie:session').", errors);
        Assert.Contains(errors, e => e.StartsWith("THREADLINE_VIP_RULE is <rule>=<value>", StringComparison.Ordinal));
        Assert.Contains("THREADLINE_BASE_URL must be an absolute URL (got 'not a url').", errors);
    }
}
