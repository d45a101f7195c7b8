using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>One function: invocation, error and duration charts with deployment markers, its deployments, issues and latest failures.</summary>
public partial class FunctionDetails
{
    private const string AllTime = "all";
    private const int FailureCount = 20;

    private FunctionDetailModel? _model;
    private bool _loading = true;
    private string? _error;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter] public string Name { get; set; } = "";

    [SupplyParameterFromQuery] public string? Range { get; set; }

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            var queries = Analysis.Queries;
            var now = Time.GetUtcNow();
            var from = TimeRanges.From(Range, now) is { } nanos ? Format.Time(nanos) : (DateTimeOffset?)null;
            _model = queries.Invocations(Name, null, null).Count == 0
                ? null
                : FunctionDetailModel.Of(Name, queries.Invocations(Name, from, null), queries.Deployments(Name), queries.Issues(null, Name, null, null),
                    queries.RecentFailures(Name, from, null, FailureCount), from, now);
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }
}
