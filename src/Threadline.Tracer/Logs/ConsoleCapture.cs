namespace Threadline.Tracer.Logs;

/// <summary>Installs the capturing writers once per process.</summary>
internal static class ConsoleCapture
{
    private static int s_installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) != 0)
            return;
        if (Console.Out is not CapturingConsoleWriter)
            Console.SetOut(new CapturingConsoleWriter(Console.Out, isError: false));
        if (Console.Error is not CapturingConsoleWriter)
            Console.SetError(new CapturingConsoleWriter(Console.Error, isError: true));
    }
}
