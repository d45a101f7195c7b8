using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Threadline.Server.Hosting;

/// <summary>
/// Keeps each endpoint on its own listener. Kestrel tags every connection with the listener it arrived on
/// (works with port 0, where the port is not known in advance); a request for an endpoint of another
/// listener is answered 404, as if the endpoint did not exist there.
/// </summary>
internal static class ListenerRouting
{
    private const string ItemKey = "threadline.listener";

    public static Func<ConnectionDelegate, ConnectionDelegate> TagConnections(Listener listener) => next => connection =>
    {
        connection.Items[ItemKey] = listener;
        return next(connection);
    };

    /// <summary>The listener the request's connection arrived on (the API listener for a connection without a tag).</summary>
    public static Listener ArrivedOn(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var tag) == true ? (Listener)tag! : Listener.Api;

    public static async Task FilterAsync(HttpContext context, RequestDelegate next)
    {
        var arrivedOn = ArrivedOn(context);
        var servedOn = context.GetEndpoint()?.Metadata.GetMetadata<ServedOn>()?.Listener ?? Listener.Api;
        if (servedOn != arrivedOn)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (arrivedOn == Listener.OtlpGrpc)
        {
            // gRPC's message-size limit governs there; Kestrel's body limit could fire first, mid-read, and turn
            // a clean RESOURCE_EXHAUSTED into an UNKNOWN depending on how much of the body one read returns.
            var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeFeature is { IsReadOnly: false })
                sizeFeature.MaxRequestBodySize = null;
        }
        await next(context).ConfigureAwait(false);
    }
}
