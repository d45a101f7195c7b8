using Threadline.Analysis;
using Threadline.Analysis.Configuration;
using Threadline.Server;
using Threadline.Web;

namespace Threadline.Commands;

/// <summary>The server modules the product runs, configured from THREADLINE_* variables.</summary>
internal static class ProductModules
{
    /// <summary>
    /// The modules, and every problem found in their configuration (reported, not thrown). <paramref name="defaults"/>
    /// stand in for THREADLINE_* variables that are not set.
    /// </summary>
    public static (IReadOnlyList<IServerModule> Modules, IReadOnlyList<string> Problems) FromEnvironment(IReadOnlyDictionary<string, string>? defaults = null)
    {
        string? Variable(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : defaults?.GetValueOrDefault(name);
        var (analysis, problems) = AnalysisEnvironment.Read(Variable);
        return ([new AnalysisModule(analysis), new WebModule()], problems);
    }
}
