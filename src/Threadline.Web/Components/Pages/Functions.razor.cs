using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>Every function with invocations, errors, p50/p95/p99, cold starts and cost over the time range (<c>range=</c>).</summary>
public partial class Functions
{
    private const string RangeParameter = "range";
    private const string AllTime = "all";

    private IReadOnlyList<FunctionRow>? _rows;
    private string? _error;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery] public string? Range { get; set; }

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            var from = TimeRanges.From(Range, Time.GetUtcNow()) is { } nanos ? Format.Time(nanos) : (DateTimeOffset?)null;
            _rows = [.. Analysis.Queries.Functions(from, null).Select(FunctionRow.Of)];
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }
}
