using System.Text;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Logs;

/// <summary>
/// Replaces Console.Out / Console.Error: everything still goes to the original writer, and what is written
/// during an invocation is also recorded as that invocation's log lines.
/// </summary>
internal sealed class CapturingConsoleWriter(TextWriter inner, bool isError) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public TextWriter Inner => inner;

    public override void Write(char value)
    {
        inner.Write(value);
        Capture([value]);
    }

    public override void Write(string? value)
    {
        inner.Write(value);
        Capture(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        inner.Write(buffer, index, count);
        Capture(buffer.AsSpan(index, count));
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        inner.Write(buffer);
        Capture(buffer);
    }

    public override void WriteLine(string? value)
    {
        inner.WriteLine(value);
        Capture(value);
        Capture("\n");
    }

    public override void WriteLine()
    {
        inner.WriteLine();
        Capture("\n");
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

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
            // Guard.Run would need a closure over a span; a failed capture is simply dropped.
        }
    }
}
