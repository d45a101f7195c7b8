using System.Diagnostics.CodeAnalysis;

namespace Threadline.Tracer.Diagnostics;

/// <summary>
/// Every hook into the user's function runs through here: a tracer fault is counted and swallowed,
/// never thrown into the handler. Tests set <see cref="FaultHook"/> to make the internals throw.
/// </summary>
internal static class Guard
{
    private static long s_faults;

    /// <summary>Called with the hook's name at the start of every guarded section (fault injection in tests).</summary>
    internal static Action<string>? FaultHook { get; set; }

    internal static long Faults => Interlocked.Read(ref s_faults);

    public static void Run(string point, Action action)
    {
        try
        {
            FaultHook?.Invoke(point);
            action();
        }
        catch (Exception ex)
        {
            Record(ex);
        }
    }

    public static T Get<T>(string point, Func<T> func, T fallback)
    {
        try
        {
            FaultHook?.Invoke(point);
            return func();
        }
        catch (Exception ex)
        {
            Record(ex);
            return fallback;
        }
    }

    /// <summary>For exception filters: observes the user's exception and always returns false so it propagates untouched.</summary>
    public static bool Observe(string point, Action action)
    {
        Run(point, action);
        return false;
    }

    [SuppressMessage("Design", "CA1031", Justification = "A tracer fault must never reach the function.")]
    private static void Record(Exception ex)
    {
        Interlocked.Increment(ref s_faults);
        TracerEventSource.Log.HookFailed(ex.GetType().Name, ex.Message);
    }
}
