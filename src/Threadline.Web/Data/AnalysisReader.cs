using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Alerts.Management;
using Threadline.Analysis.Api;

namespace Threadline.Web.Data;

/// <summary>
/// The analysis module's answers for the pages, in process. The web module also runs without the analysis module
/// (<see cref="Enabled"/> is then false and the analysis pages say so).
/// </summary>
internal sealed class AnalysisReader(IServiceProvider services)
{
    private readonly AnalysisQueries? _queries = services.GetService<AnalysisQueries>();
    private readonly AlertManager? _alerts = services.GetService<AlertManager>();

    public bool Enabled => _queries is not null;

    public AnalysisQueries Queries => _queries ?? throw new InvalidOperationException("The analysis module is not enabled on this server.");

    /// <summary>Alert rules, channels, silences and the in-app notification list (the same service as the API's).</summary>
    public AlertManager Alerts => _alerts ?? throw new InvalidOperationException("The analysis module is not enabled on this server.");
}
