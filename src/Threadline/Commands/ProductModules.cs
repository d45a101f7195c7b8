using Threadline.Analysis;
using Threadline.Analysis.Configuration;
using Threadline.Server;
using Threadline.Web;

namespace Threadline.Commands;

/// <summary>The server modules the product runs, configured from THREADLINE_* variables.</summary>
internal static class ProductModules
{
    /// <summary>The modules, and every problem found in their configuration (reported, not thrown).</summary>
    public static (IReadOnlyList<IServerModule> Modules, IReadOnlyList<string> Problems) FromEnvironment()
    {
        var (analysis, problems) = AnalysisEnvironment.Read(Environment.GetEnvironmentVariable);
        return ([new AnalysisModule(analysis), new WebModule()], problems);
    }
}
