using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>Deployments, latest first, with verdict and before/after comparison; <c>function=</c> filters.</summary>
public partial class Deployments
{
    private const string FunctionParameter = "function";

    private IReadOnlyList<DeploymentRow>? _rows;
    private IReadOnlyList<string> _functions = [];
    private string? _error;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery] public string? Function { get; set; }

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            var all = Analysis.Queries.Deployments(null);
            _functions = [.. all.Select(d => d.Function).Distinct().Order(StringComparer.Ordinal)];
            _rows = [.. all.Where(d => string.IsNullOrEmpty(Function) || d.Function == Function).Reverse().Select(DeploymentRow.Of)];
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }
}
