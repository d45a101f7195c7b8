using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Testing;

namespace Threadline.Analysis.Tests;

/// <summary>A real local HTTP server (Kestrel on 127.0.0.1, a free port) that records every POST.</summary>
internal sealed class HttpReceiver : IAsyncDisposable
{
    private LoopbackHttpServer _http = null!;

    public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();

    public Uri BaseAddress => _http.Url;

    public static async Task<HttpReceiver> StartAsync()
    {
        var receiver = new HttpReceiver();
        receiver._http = await LoopbackHttpServer.StartAsync(app => app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            receiver.Received.Enqueue((context.Request.Path.Value ?? "", await reader.ReadToEndAsync(context.RequestAborted)));
            return Results.Ok();
        }), TestContext.Current.CancellationToken);
        return receiver;
    }

    public List<string> BodiesAt(string path) => [.. Received.Where(r => r.Path == path).Select(r => r.Body)];

    public async ValueTask DisposeAsync() => await _http.DisposeAsync();
}
