using Microsoft.AspNetCore.Components;
using Threadline.Analysis.Alerts.Management;
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
    private SilenceResponse? _silence;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter] public string Id { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            _model = Analysis.Queries.Issue(Id) is { } view ? IssueDetailModel.Of(view, Time.GetUtcNow()) : null;
            _silence = _model is null ? null : await Analysis.Alerts.SilenceOfAsync("issue", Id, CancellationToken.None);
            _error = null;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
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

    private async Task Silence(bool mute)
    {
        var result = await Analysis.Alerts.SilenceAsync("issue", Id, Silencing.Input(mute), CancellationToken.None);
        _status = result.Outcome == AlertOutcome.Ok ? null : result.Message;
        _silence = await Analysis.Alerts.SilenceOfAsync("issue", Id, CancellationToken.None);
    }

    private async Task Unsilence()
    {
        await Analysis.Alerts.UnsilenceAsync("issue", Id, CancellationToken.None);
        _silence = await Analysis.Alerts.SilenceOfAsync("issue", Id, CancellationToken.None);
    }
}
