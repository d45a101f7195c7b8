using System.ComponentModel;
using System.Diagnostics;

namespace Threadline.Testing;

/// <summary>What a child process printed and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program to its end with a deadline; on the deadline the whole process tree is killed.</summary>
public static class ChildProcess
{
    /// <exception cref="TimeoutException">The program did not finish within <paramref name="deadline"/>.</exception>
    /// <exception cref="InvalidOperationException">The program could not be started (e.g. it is not on the PATH).</exception>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var commandLine = $"{start.FileName} {string.Join(' ', start.ArgumentList)}".TrimEnd();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine}: no process was started");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {commandLine} ({e.Message}); is {start.FileName} on the PATH?", e);
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(deadline);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{commandLine} did not finish within {deadline}");
            }
            return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}
