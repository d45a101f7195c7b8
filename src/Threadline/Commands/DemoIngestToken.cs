using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary>
/// The ingest token the demo's functions send when the server requires authentication: created under a fixed name
/// when the demo starts (replacing one a killed run left behind) and revoked when it stops, so it is valid only while
/// the demo runs.
/// </summary>
internal sealed class DemoIngestToken : IDisposable
{
    private const string Name = "threadline-demo-functions";
    private readonly AuthStore _store;

    private DemoIngestToken(AuthStore store, string token) => (_store, Token) = (store, token);

    public string Token { get; }

    public static DemoIngestToken Create(string dataDirectory)
    {
        var store = new AuthStore(dataDirectory);
        if (store.Read().Contains(Name))
            store.Revoke(Name);
        return new DemoIngestToken(store, store.CreateToken(Name, TokenKind.Ingest));
    }

    public void Dispose()
    {
        if (_store.Read().Contains(Name))
            _store.Revoke(Name);
    }
}
