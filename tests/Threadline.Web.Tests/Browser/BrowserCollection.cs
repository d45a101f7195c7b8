namespace Threadline.Web.Tests.Browser;

/// <summary>The browser tests share one server, one demo run and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<WebRun>
{
    public const string Name = "browser";
}
