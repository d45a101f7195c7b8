using Microsoft.AspNetCore.Components;
using Threadline.Analysis.Ingest;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components;

public partial class DeepDivePanel
{
    private DeepDive? _dive;
    private string? _loaded;
    private bool _loading = true;
    private string? _error;

    private AnalyzedInvocation? _analyzed;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Parameter, EditorRequired] public string InvocationId { get; set; } = "";

    /// <summary>The selected span: its call is opened.</summary>
    [Parameter] public string? SpanId { get; set; }

    [Parameter, EditorRequired] public string TransactionId { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded == InvocationId)
            return;
        _loading = true;
        try
        {
            _dive = await Reader.GetInvocationAsync(InvocationId, CancellationToken.None);
            _analyzed = _dive is not null && Analysis.Enabled ? Analysis.Queries.Invocation(_dive.Invocation.Id) : null;
            _error = null;
            _loaded = InvocationId;
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
