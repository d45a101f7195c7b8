using System.Diagnostics;
using Threadline.Server.Roles;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// Keeps a small memory copy of what people record through the API (resolutions, deployments) in step with a store
/// other processes write too: the copy is read again when it is older than the age given, on the next use.
/// </summary>
internal sealed class SharedReload(TimeSpan age, Action reload)
{
    private long _loadedAt = Stopwatch.GetTimestamp();
    private int _reloading;

    /// <summary>The age after which a shared store's copy is read again; null (never) for a process that is the store's only writer.</summary>
    public static TimeSpan? After(ServerRole role) => role.IsShared() ? TimeSpan.FromSeconds(2) : null;

    public void IfDue()
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _loadedAt)) < age || Interlocked.Exchange(ref _reloading, 1) == 1)
            return;
        try
        {
            reload();
            Volatile.Write(ref _loadedAt, Stopwatch.GetTimestamp());
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
        }
    }
}
