using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Testing;

namespace Threadline.Tracer.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 with a free port; records requests and answers through a handler.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private LoopbackHttpServer _http = null!;

    public Uri Url => _http.Url;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private SemaphoreSlim Arrived { get; } = new(0);

    /// <summary>Waits until a matching request has arrived (the timeout only bounds a failing test).</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Requests.FirstOrDefault(match);
            if (found is not null)
                return found;
            await Arrived.WaitAsync(timeout.Token);
        }
    }

    public static async Task<LocalServer> StartAsync(Func<RecordedRequest, HttpContext, Task> handler)
    {
        var server = new LocalServer();
        server._http = await LoopbackHttpServer.StartAsync(app => app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray());
            server.Requests.Enqueue(recorded);
            server.Arrived.Release();
            await handler(recorded, context);
        }));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _http.DisposeAsync();
        Arrived.Dispose();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
