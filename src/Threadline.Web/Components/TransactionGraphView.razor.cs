using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Threadline.Web.Model;

namespace Threadline.Web.Components;

public sealed partial class TransactionGraphView
{
    private ElementReference _canvas;
    private DotNetObjectReference<TransactionGraphView>? _self;
    private GraphModel? _drawn;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Parameter, EditorRequired] public GraphModel Model { get; set; } = null!;

    /// <summary>The selected invocation, whose node is highlighted.</summary>
    [Parameter] public string? Selected { get; set; }

    [Parameter] public EventCallback<string> OnSelect { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!ReferenceEquals(_drawn, Model))
        {
            _self ??= DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("threadlineGraph.render", _canvas, Model.Nodes.Select(n => new { id = n.Id, label = n.Label, kind = n.Kind, failed = n.Failed }),
                Model.Edges.Select(e => new { id = e.Id, source = e.Source, target = e.Target, label = e.Label, async = e.Async }), _self);
            _drawn = Model;
        }
        var node = Model.Nodes.FirstOrDefault(n => n.Invocation is not null && n.Invocation == Selected)?.Id;
        await JS.InvokeVoidAsync("threadlineGraph.select", _canvas, node);
    }

    /// <summary>Called by the canvas when a node is tapped.</summary>
    [JSInvokable]
    public Task SelectNode(string id) =>
        Model.Nodes.FirstOrDefault(n => n.Id == id)?.Invocation is { } invocation ? InvokeAsync(() => OnSelect.InvokeAsync(invocation)) : Task.CompletedTask;

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
