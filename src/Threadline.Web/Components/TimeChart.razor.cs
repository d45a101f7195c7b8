using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Threadline.Web.Model;

namespace Threadline.Web.Components;

public sealed partial class TimeChart
{
    private ElementReference _canvas;
    private ChartModel? _drawn;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Parameter, EditorRequired] public ChartModel Model { get; set; } = null!;

    [Parameter] public string? TestId { get; set; }

    /// <summary>Lists the markers under the chart (off when the page lists them once for several charts).</summary>
    [Parameter] public bool ListMarkers { get; set; } = true;

    private string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Model.Title}: {string.Join(", ", Model.Series.Select(s => $"{s.Label} peak {s.Values.DefaultIfEmpty(0).Max():0.##}{(Model.Unit is null ? "" : " " + Model.Unit)}"))} over {Model.Labels.Count} intervals from {Model.Labels.FirstOrDefault()} to {Model.Labels.LastOrDefault()}; {Model.Markers.Count} markers");

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (ReferenceEquals(_drawn, Model))
            return;
        await JS.InvokeVoidAsync("threadlineCharts.render", _canvas, new
        {
            kind = Model.Kind,
            labels = Model.Labels,
            series = Model.Series.Select(s => new { label = s.Label, values = s.Values, color = s.Color }),
            markers = Model.Markers.Select(m => new { position = m.Position, label = m.Label, text = m.Text }),
            unit = Model.Unit,
            integer = Model.Integer,
        });
        _drawn = Model;
    }

    public async ValueTask DisposeAsync()
    {
        // Nothing was drawn when the component was only prerendered (no circuit, so no JavaScript to call).
        if (_drawn is null)
            return;
        try
        {
            await JS.InvokeVoidAsync("threadlineCharts.dispose", _canvas);
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone with the page
        }
    }
}
