namespace Threadline.Tracer.Logs;

/// <summary>
/// Wraps Console.Out and Console.Error in capturing writers. Called at every invocation start: if the host
/// (or the Lambda runtime) replaced the writers since, they are wrapped again.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly Lock Gate = new();
    private static TextWriter? s_out;
    private static TextWriter? s_error;

    public static void Install()
    {
        if (ReferenceEquals(Console.Out, s_out) && ReferenceEquals(Console.Error, s_error))
            return;
        lock (Gate)
        {
            if (!ReferenceEquals(Console.Out, s_out))
            {
                Console.SetOut(new CapturingConsoleWriter(Console.Out, isError: false));
                s_out = Console.Out;
            }
            if (!ReferenceEquals(Console.Error, s_error))
            {
                Console.SetError(new CapturingConsoleWriter(Console.Error, isError: true));
                s_error = Console.Error;
            }
        }
    }
}
