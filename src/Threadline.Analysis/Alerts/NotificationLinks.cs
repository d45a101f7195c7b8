using Threadline.Analysis.Configuration;
using Threadline.Server;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// The absolute links of notifications: under the rule file's <c>baseUrl</c>, else <c>THREADLINE_BASE_URL</c>, else the
/// address the API listens on.
/// </summary>
public sealed class NotificationLinks(AnalysisOptions options, ApiAddress api)
{
    public string Base(AlertSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return (setup.BaseUrl ?? options.BaseUrl ?? api.Url ?? new Uri("http://127.0.0.1:5080")).ToString().TrimEnd('/');
    }

    /// <summary>The issue's page, else the function's, else the functions page.</summary>
    public Uri To(AlertSetup setup, string? issueId, string? function)
    {
        var baseUrl = Base(setup);
        return issueId is { } issue ? new Uri($"{baseUrl}/issues/{issue}")
            : function is { } name ? new Uri($"{baseUrl}/functions/{Uri.EscapeDataString(name)}")
            : new Uri($"{baseUrl}/functions");
    }
}
