using Microsoft.AspNetCore.Components;
using Threadline.Analysis.Alerts;
using Threadline.Web.Data;

namespace Threadline.Web.Components.Layout;

/// <summary>Looks at the in-app list every few seconds while the page is open, so a new notification shows without a reload.</summary>
public sealed partial class NotificationBell
{
    private const int Latest = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private int _unread;
    private bool _open;
    private IReadOnlyList<AlertNotification> _latest = [];

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    protected override void OnInitialized() => Refresh();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && Analysis.Enabled)
            _ = WatchAsync();
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(Poll);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var before = (_unread, _latest.Count > 0 ? _latest[0] : null);
                Refresh();
                if (before != (_unread, _latest.Count > 0 ? _latest[0] : null))
                    await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Refresh()
    {
        if (!Analysis.Enabled)
            return;
        _unread = Analysis.Alerts.Unread();
        _latest = [.. Analysis.Alerts.Notifications().Take(Latest)];
    }

    private void Toggle() => _open = !_open;

    private void Close() => _open = false;

    private void MarkAllRead()
    {
        Analysis.Alerts.MarkAllRead();
        Refresh();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
