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
        // A copy: the write may be handed to another thread (Forward), after the caller reuses its buffer.
        var text = new string(buffer, index, count);
        if (Forward(w => w.Write(text)))
            Capture(text);
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

    public override void Flush()
    {
        // Console writers flush every write; a flush that would have to wait for the inner writer is skipped (Forward).
        _ = TryWithInner(w => w.Flush());
    }

    public override Task FlushAsync() => inner.FlushAsync();

    /// <summary>How long a write waits for the inner writer before it hands the write to another thread.</summary>
    private static readonly TimeSpan InnerWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Writes through; true when this is the outermost capturing writer on the call stack. Our caller holds the lock of
    /// <see cref="Console.Out"/> (the synchronized wrapper <see cref="Console.SetOut"/> put around this writer), and .NET's
    /// console takes that same lock inside every write to the terminal stream. So a thread that writes through a
    /// reference to the inner writer kept from before (a logger, a test runner) holds the inner writer's lock and waits
    /// for ours while we wait for its: a deadlock. When the inner writer stays busy, the write goes to the thread pool,
    /// which takes the inner writer once our caller has let go; the line is still captured here, in order.
    /// </summary>
    private bool Forward(Action<TextWriter> write)
    {
        var outermost = t_depth++ == 0;
        try
        {
            // Without the execution context: no invocation is current there, so nothing is captured twice.
            if (!TryWithInner(write))
                ThreadPool.UnsafeQueueUserWorkItem(_ => WriteLater(write), null);
        }
        finally
        {
            t_depth--;
        }
        return outermost;
    }

    /// <summary>Writes to the inner writer holding its lock, if that lock comes within <see cref="InnerWait"/>.</summary>
    private bool TryWithInner(Action<TextWriter> write)
    {
        if (!Monitor.TryEnter(inner, InnerWait))
            return false;
        try
        {
            write(inner);
        }
        finally
        {
            Monitor.Exit(inner);
        }
        return true;
    }

    private void WriteLater(Action<TextWriter> write)
    {
        try
        {
            write(inner);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The console is gone (the process is ending): the line was captured, and there is nowhere to write it.
        }
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
