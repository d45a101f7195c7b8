using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Threadline.Web.Model;

namespace Threadline.Web.Components;

public sealed partial class SystemMapView
{
    private ElementReference _canvas;
    private DotNetObjectReference<SystemMapView>? _self;
    private SystemMapModel? _drawn;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Parameter, EditorRequired] public SystemMapModel Model { get; set; } = null!;

    /// <summary>The page's time range, kept on the transaction list it opens.</summary>
    [Parameter] public string? Range { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (ReferenceEquals(_drawn, Model))
            return;
        _self ??= DotNetObjectReference.Create(this);
        await JS.InvokeVoidAsync("threadlineGraph.render", _canvas,
            Model.Nodes.Select(n => new { id = n.Id, label = n.Label, kind = GraphModel.DrawnKind(n.Kind), failed = n.Failed }),
            Model.Edges.Select(e => new { id = e.Id, source = e.From, target = e.To, label = e.Label, async = e.Async, failed = e.Errors > 0 }),
            _self, new { edges = true, rankSep = 220, nodeSep = 60 });
        _drawn = Model;
    }

    /// <summary>Called by the canvas when a component is tapped.</summary>
    [JSInvokable]
    public Task SelectNode(string id) => InvokeAsync(() => Navigation.NavigateTo(Links.Transactions(node: id, range: Range)));

    /// <summary>Called by the canvas when an edge is tapped.</summary>
    [JSInvokable]
    public Task SelectEdge(string id) =>
        Model.Edges.FirstOrDefault(e => e.Id == id) is { } edge ? InvokeAsync(() => Navigation.NavigateTo(Links.Transactions(edge: edge.Filter, range: Range))) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        // Nothing was drawn when the component was only prerendered (no circuit, so no JavaScript to call).
        if (_drawn is null)
        {
            _self?.Dispose();
            return;
        }
        try
        {
            await JS.InvokeVoidAsync("threadlineGraph.dispose", _canvas);
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone with the page
        }
        _self?.Dispose();
    }
}
