using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>The transaction list: filters in the query string, paged on the server, optionally refreshed live.</summary>
public partial class Home
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private TransactionPage? _page;
    private IReadOnlyDictionary<string, decimal> _costs = new Dictionary<string, decimal>();
    private string? _error;
    private bool _live;
    private CancellationTokenSource? _refresh;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery] public string? Range { get; set; }

    [SupplyParameterFromQuery] public string? Entry { get; set; }

    [SupplyParameterFromQuery] public string? Status { get; set; }

    [SupplyParameterFromQuery] public string? Function { get; set; }

    [SupplyParameterFromQuery] public string? Edge { get; set; }

    [SupplyParameterFromQuery] public string? Node { get; set; }

    [SupplyParameterFromQuery] public string? Q { get; set; }

    [SupplyParameterFromQuery(Name = "page")] public int? PageNumber { get; set; }

    private bool HasFilters => Range is not null || !string.IsNullOrEmpty(Entry) || !string.IsNullOrEmpty(Status) || !string.IsNullOrEmpty(Q)
        || !string.IsNullOrEmpty(Function) || !string.IsNullOrEmpty(Edge) || !string.IsNullOrEmpty(Node);

    private string ClearCrossingHref => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["edge"] = null, ["node"] = null, ["page"] = null });

    /// <summary>The row's cost from the analysis module (each invocation's share), or a dash without it.</summary>
    private string CostOf(string id) => _costs.TryGetValue(id, out var usd) ? Format.Usd(usd) : "—";

    private bool Live
    {
        get => _live;
        set
        {
            _live = value;
            if (value)
                StartRefresh();
            else
                StopRefresh();
        }
    }

    protected override void OnParametersSet() => Load();

    private void Load()
    {
        try
        {
            _page = Reader.List(new TransactionQuery
            {
                FromUnixNano = TimeRanges.From(Range, Time.GetUtcNow()),
                Entry = Entry,
                Status = Status,
                Function = Function,
                Edge = Edge,
                Node = Node,
                Text = Q,
                Page = PageNumber ?? 1,
            });
            _costs = Analysis.Enabled ? Analysis.Queries.TransactionCosts(_page.Rows.Select(r => r.Id)) : new Dictionary<string, decimal>();
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }

    private void Apply(string? range = null, string? entry = null, string? status = null, string? text = null, int? page = null, string? function = null)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["range"] = Blank(range ?? Range) is "all" ? null : Blank(range ?? Range),
            ["entry"] = Blank(entry ?? Entry),
            ["status"] = Blank(status ?? Status),
            ["q"] = Blank(text ?? Q),
            ["function"] = Blank(function ?? Function),
            ["page"] = page is > 1 ? page : null,
        };
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private void StartRefresh()
    {
        StopRefresh();
        _refresh = new CancellationTokenSource();
        _ = RefreshAsync(_refresh.Token);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await InvokeAsync(() =>
                {
                    Load();
                    StateHasChanged();
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the switch was turned off or the page left
        }
    }

    private void StopRefresh()
    {
        _refresh?.Cancel();
        _refresh?.Dispose();
        _refresh = null;
    }

    public void Dispose()
    {
        StopRefresh();
        GC.SuppressFinalize(this);
    }
}
