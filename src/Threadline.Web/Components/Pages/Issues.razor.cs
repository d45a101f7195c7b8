using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>The issues list: state, function and time range filters in the query string.</summary>
public partial class Issues
{
    private IReadOnlyList<IssueRow>? _rows;
    private IReadOnlyList<string> _functions = [];
    private string? _error;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery] public string? State { get; set; }

    [SupplyParameterFromQuery] public string? Function { get; set; }

    [SupplyParameterFromQuery] public string? Range { get; set; }

    private bool HasFilters => !string.IsNullOrEmpty(State) || !string.IsNullOrEmpty(Function) || Range is not null;

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        if (!IssueStates.TryParse(State, out var state))
        {
            _error = $"'{State}' is not a state: choose new, ongoing, regressed or resolved.";
            return;
        }
        try
        {
            var from = TimeRanges.From(Range, Time.GetUtcNow()) is { } nanos ? Format.Time(nanos) : (DateTimeOffset?)null;
            var function = string.IsNullOrWhiteSpace(Function) ? null : Function.Trim();
            _rows = [.. Analysis.Queries.Issues(state, function, from, null).Select(IssueRow.Of)];
            _functions = [.. Analysis.Queries.Issues(null, null, null, null).Select(i => i.Function).Distinct().Order(StringComparer.Ordinal)];
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }

    private void Apply(string? state = null, string? function = null, string? range = null) =>
        Navigation.NavigateTo(Links.Issues(Blank(function ?? Function), Blank(state ?? State), Blank(range ?? Range) is AllTime ? null : Blank(range ?? Range)));

    private const string AllTime = "all";

    private static string Text(ChangeEventArgs e) => e.Value as string ?? string.Empty;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
