namespace Threadline.Server.Hosting;

/// <summary>The three listeners; every endpoint is served on exactly one of them.</summary>
public enum Listener
{
    Api,
    OtlpHttp,
    OtlpGrpc,
}

/// <summary>Endpoint metadata naming the listener that serves the endpoint.</summary>
public sealed record ServedOn(Listener Listener);
