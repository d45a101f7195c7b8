namespace Threadline.Tracer.Logs;

/// <summary>
/// Wraps Console.Out and Console.Error in capturing writers. Called at every invocation start: if the host
/// (or the Lambda runtime) replaced the writers since, they are wrapped again; a wrapped writer is left alone.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly Lock Gate = new();

    public static void Install()
    {
        if (Console.Out is CapturingConsoleWriter && Console.Error is CapturingConsoleWriter)
            return;
        lock (Gate)
        {
            if (Console.Out is not CapturingConsoleWriter)
                Console.SetOut(new CapturingConsoleWriter(Console.Out, isError: false));
            if (Console.Error is not CapturingConsoleWriter)
                Console.SetError(new CapturingConsoleWriter(Console.Error, isError: true));
        }
    }
}
