namespace Threadline.Server;

/// <summary>
/// Where the API listener can be reached from this machine, known once the server listens (a port of 0 is chosen
/// then); for absolute links such as those in alert notifications.
/// </summary>
public sealed class ApiAddress
{
    public Uri? Url { get; internal set; }
}
