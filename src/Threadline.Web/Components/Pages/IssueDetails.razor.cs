using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>One issue: impact per entry point, exposure, occurrences over time, samples, and the resolve button.</summary>
public partial class IssueDetails
{
    private IssueDetailModel? _model;
    private bool _loading = true;
    private string? _error;
    private string? _status;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter] public string Id { get; set; } = "";

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            _model = Analysis.Queries.Issue(Id) is { } view ? IssueDetailModel.Of(view, Time.GetUtcNow()) : null;
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

    private void Resolve()
    {
        if (Analysis.Queries.Resolve(Id) is { } view)
        {
            _model = IssueDetailModel.Of(view, Time.GetUtcNow());
            _status = $"Resolved at {Format.When(view.Detail.ResolvedAt ?? Time.GetUtcNow())} UTC; it regresses if it happens again.";
        }
        else
        {
            _status = "The issue is no longer known.";
        }
    }
}
