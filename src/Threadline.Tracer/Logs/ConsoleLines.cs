using System.Text;
using Microsoft.Extensions.Logging;

namespace Threadline.Tracer.Logs;

/// <summary>Per-invocation line buffers for Console output; each complete line becomes one log record.</summary>
internal sealed class ConsoleLines(Invocation.InvocationScope scope)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    public void Append(ReadOnlySpan<char> text, bool isError)
    {
        List<string>? lines = null;
        lock (_gate)
        {
            var buffer = isError ? _error : _out;
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    (lines ??= []).Add(buffer.ToString().TrimEnd('\r'));
                    buffer.Clear();
                }
                else if (buffer.Length < 64 * 1024)
                {
                    buffer.Append(c);
                }
            }
        }
        if (lines is not null)
        {
            foreach (var line in lines)
                Emit(line, isError);
        }
    }

    public void FlushPartialLines()
    {
        string? pendingOut, pendingError;
        lock (_gate)
        {
            pendingOut = _out.Length > 0 ? _out.ToString() : null;
            pendingError = _error.Length > 0 ? _error.ToString() : null;
            _out.Clear();
            _error.Clear();
        }
        if (pendingOut is not null)
            Emit(pendingOut, isError: false);
        if (pendingError is not null)
            Emit(pendingError, isError: true);
    }

    private void Emit(string line, bool isError)
    {
        if (!scope.Options.CaptureLogs || line.Length == 0)
            return;
        var logger = scope.Pipeline.ConsoleLogger;
        scope.Pipeline.NoteLog();
        using var marker = ReentryGuard.Enter();
        if (marker.IsNested)
            return;
        // The line is the message as written, never a template.
        logger.Log(isError ? LogLevel.Error : LogLevel.Information, new EventId(0, isError ? "stderr" : "stdout"), line, null, static (text, _) => text);
    }
}
