namespace Threadline.Server.Hosting;

/// <summary>The HTTP listeners; every endpoint is served on exactly one of them.</summary>
public enum Listener
{
    Api,
    OtlpHttp,
    OtlpGrpc,
    /// <summary>Zipkin v2 JSON (<c>--zipkin-port</c>), when enabled.</summary>
    Zipkin,
}

/// <summary>Endpoint metadata naming the listener that serves the endpoint.</summary>
public sealed record ServedOn(Listener Listener);
