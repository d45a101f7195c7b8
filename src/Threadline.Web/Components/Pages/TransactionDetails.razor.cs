using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>
/// One transaction: graph, deep dive of the selected invocation (<c>?invocation=</c>, <c>&amp;span=</c>), story and
/// timeline.
/// </summary>
public partial class TransactionDetails
{
    private TransactionView? _view;
    private string? _loadedId;
    private bool _loading = true;
    private string? _error;

    private decimal? _cost;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Parameter] public string Id { get; set; } = "";

    [SupplyParameterFromQuery] public string? Invocation { get; set; }

    [SupplyParameterFromQuery] public string? Span { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id)
            return;
        _loading = true;
        try
        {
            _view = await Reader.GetTransactionAsync(Id, CancellationToken.None);
            if (_view is not null && Analysis.Enabled)
                _view = new TransactionView(_view.Transaction, _view.Graph, _view.Spans, Analysis.Queries.RecordResults(Id));
            _cost = _view is not null && Analysis.Enabled && Analysis.Queries.TransactionCosts([Id]).TryGetValue(Id, out var usd) ? usd : null;
            _error = null;
            _loadedId = Id;
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

    private void Select(string invocation) => Navigation.NavigateTo(Links.Transaction(Id, invocation));
}
