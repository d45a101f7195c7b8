using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>All components and edges over the time range (<c>range=</c>), from the stitched transactions.</summary>
public partial class SystemMap
{
    private const string RangeParameter = "range";
    private const string AllTime = "all";

    private SystemMapModel? _model;
    private string? _error;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery] public string? Range { get; set; }

    protected override void OnParametersSet()
    {
        try
        {
            var now = Time.GetUtcNow();
            var from = TimeRanges.From(Range, now);
            var transactions = Reader.Transactions(from);
            // The rate is over the range, or for all time from the first transaction to now.
            var start = from ?? (transactions.Count > 0 ? transactions.Min(t => t.Summary.StartTimeUnixNano) : 0);
            _model = SystemMapModel.Of(transactions, now - Format.Time(start));
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }

    private string NodeLabel(string id) => _model?.Nodes.FirstOrDefault(n => n.Id == id)?.Label ?? id;
}
