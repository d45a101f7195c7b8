using System.Collections.Concurrent;
using System.Diagnostics;

namespace Threadline.Bench.Measure;

/// <summary>A process the suite starts and measures: its output is kept, and it is stopped with SIGTERM (then killed).</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _name;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public DateTime StartTime { get; } = DateTime.UtcNow;

    public IEnumerable<string> Output => _output;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string name)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until a line of output satisfies <paramref name="match"/>; fails with the output if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = _output.FirstOrDefault(match);
            if (line is not null)
                return line;
            if (_process.HasExited)
                throw new InvalidOperationException($"{_name} exited with {_process.ExitCode}:\n{string.Join('\n', _output.TakeLast(30))}");
            await Task.Delay(20).ConfigureAwait(false);
        }
        throw new TimeoutException($"{_name} did not print the expected line within {timeout}:\n{string.Join('\n', _output.TakeLast(30))}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>
    /// Stops the process with SIGTERM and returns its CPU time as last seen before it exited (read every 10 ms),
    /// so that work deferred to shutdown (a store's final checkpoint) is counted.
    /// </summary>
    public async Task<double> StopAndReadFinalCpuAsync()
    {
        var last = ProcessAccounting.CpuSeconds(Pid);
        await SignalTermAsync().ConfigureAwait(false);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!_process.HasExited && DateTime.UtcNow < deadline)
        {
            try
            {
                last = ProcessAccounting.CpuSeconds(Pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                break;
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
        return last;
    }

    private async Task SignalTermAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await term.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM, so that a server shuts down cleanly (DuckDB checkpoints on close); killed if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalTermAsync().ConfigureAwait(false);
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
    }
}
