using System.Text;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Logs;

/// <summary>
/// Replaces Console.Out / Console.Error: everything still goes to the original writer, and what is written
/// during an invocation is also recorded as that invocation's log lines. If writers end up nested (a host
/// restored an older one), only the outermost records.
/// </summary>
internal sealed class CapturingConsoleWriter(TextWriter inner, bool isError) : TextWriter
{
    [ThreadStatic]
    private static int t_depth;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (Forward(w => w.Write(value)))
            Capture([value]);
    }

    public override void Write(string? value)
    {
        if (Forward(w => w.Write(value)))
            Capture(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        if (Forward(w => w.Write(buffer, index, count)))
            Capture(buffer.AsSpan(index, count));
    }

    public override void WriteLine(string? value)
    {
        if (Forward(w => w.WriteLine(value)))
        {
            Capture(value);
            Capture("\n");
        }
    }

    public override void WriteLine()
    {
        if (Forward(w => w.WriteLine()))
            Capture("\n");
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    /// <summary>Writes through; true when this is the outermost capturing writer on the call stack.</summary>
    private bool Forward(Action<TextWriter> write)
    {
        var outermost = t_depth++ == 0;
        try
        {
            write(inner);
        }
        finally
        {
            t_depth--;
        }
        return outermost;
    }

    private void Capture(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || ReentryGuard.Active || InvocationScope.Current is not { IsCompleted: false } scope)
            return;
        try
        {
            Guard.FaultHook?.Invoke("console");
            scope.Console.Append(text, isError);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed capture is dropped; the line was already written.
        }
    }
}
