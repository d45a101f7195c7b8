namespace Threadline.Tracer.Logs;

/// <summary>Stops a log emitted by the tracer from being captured again (e.g. an exporter writing to Console).</summary>
internal readonly struct ReentryGuard : IDisposable
{
    [ThreadStatic]
    private static int t_depth;

    private ReentryGuard(bool nested) => IsNested = nested;

    public bool IsNested { get; }

    public static ReentryGuard Enter() => new(t_depth++ > 0);

    public static bool Active => t_depth > 0;

    public void Dispose() => t_depth--;
}
