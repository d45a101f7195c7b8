using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>One trace: its spans on the timeline, each leading to the span in its transaction, and the transactions it is part of.</summary>
public partial class TraceDetails
{
    private TraceView? _view;
    private string? _loadedId;
    private bool _loading = true;
    private string? _error;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Parameter] public string TraceId { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == TraceId)
            return;
        _loading = true;
        try
        {
            _view = await Reader.GetTraceAsync(TraceId, CancellationToken.None);
            _error = null;
            _loadedId = TraceId;
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
