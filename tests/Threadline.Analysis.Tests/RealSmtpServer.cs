using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Threadline.Analysis.Tests;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (<c>python3-aiosmtpd</c>, installed by scripts/test) on 127.0.0.1 and a free
/// port, with its debugging handler, which prints every message it accepts; the messages are parsed back with MimeKit.
/// </summary>
internal sealed class RealSmtpServer : IAsyncDisposable
{
    private const string Begin = "---------- MESSAGE FOLLOWS ----------";
    private const string End = "------------ END MESSAGE ------------";
    private readonly Process _process;
    private readonly StringBuilder _current = new();
    private readonly StringBuilder _errors = new();
    private bool _inMessage;
    private bool _inPreamble;

    private RealSmtpServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public static async Task<RealSmtpServer> StartAsync(CancellationToken cancellationToken)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-u", "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start");
        var server = new RealSmtpServer(process, port);
        process.OutputDataReceived += (_, line) => server.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (server._errors)
                server._errors.AppendLine(line.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilListeningAsync(cancellationToken);
        return server;
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived; fails with what the server said otherwise.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(int count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (Messages.Count < count && DateTime.UtcNow < deadline)
            await poll.WaitForNextTickAsync(cancellationToken);
        lock (_errors)
            Assert.True(Messages.Count >= count, $"aiosmtpd received {Messages.Count} of {count} messages; stderr: {_errors}");
        return [.. Messages];
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_current)
        {
            if (line == Begin)
            {
                _inMessage = true;
                _inPreamble = true;
                _current.Clear();
            }
            else if (_inPreamble && (line.StartsWith("mail options:", StringComparison.Ordinal) || line.StartsWith("rcpt options:", StringComparison.Ordinal)))
            {
                // The handler prints the envelope's options and a blank line before the message.
            }
            else if (_inPreamble && line.Length == 0)
            {
                _inPreamble = false;
            }
            else if (line == End && _inMessage)
            {
                _inMessage = false;
                try
                {
                    Messages.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(_current.ToString()))));
                }
                catch (FormatException e)
                {
                    lock (_errors)
                        _errors.AppendLine($"unreadable message ({e.Message}): {_current}");
                }
            }
            else if (_inMessage)
            {
                _inPreamble = false;
                _current.Append(line).Append("\r\n");
            }
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                lock (_errors)
                    throw new InvalidOperationException($"aiosmtpd is not listening on {Port} (is python3-aiosmtpd installed? scripts/test installs it): {_errors}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
