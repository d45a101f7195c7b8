using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Demo.Hosting;

/// <summary>
/// The demo's stand-in for the owner's phone: a local webhook (127.0.0.1, a free port) that Threadline's alerts post
/// to; it prints each notification's text to the terminal and keeps it.
/// </summary>
public sealed class DemoAlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TextWriter _terminal;

    private DemoAlertReceiver(WebApplication app, TextWriter terminal) => (_app, _terminal) = (app, terminal);

    /// <summary>Where to post: <c>http://127.0.0.1:PORT/notifications</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The texts received, oldest first.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public static async Task<DemoAlertReceiver> StartAsync(TextWriter terminal, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new DemoAlertReceiver(app, terminal);
        app.MapPost("/notifications", receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/notifications");
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        var text = body.RootElement.TryGetProperty("text", out var value) ? value.GetString() ?? "" : body.RootElement.GetRawText();
        var link = body.RootElement.TryGetProperty("link", out var url) ? url.GetString() : null;
        Received.Enqueue(text);
        lock (_terminal)
            _terminal.WriteLine($"  [notification] {text}{(link is null ? "" : $" ({link})")}");
        await _terminal.FlushAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
