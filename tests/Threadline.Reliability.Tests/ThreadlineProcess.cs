using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Threadline.Reliability.Tests;

/// <summary>
/// The real <c>threadline serve</c> executable (the build output beside the tests) on a data folder, with free
/// ports; it can be killed with SIGKILL and started again on the same folder.
/// </summary>
public sealed partial class ThreadlineProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ThreadlineProcess(Process process, int apiPort, int otlpHttpPort, int otlpGrpcPort)
    {
        _process = process;
        ApiPort = apiPort;
        OtlpHttpPort = otlpHttpPort;
        OtlpGrpcPort = otlpGrpcPort;
    }

    public int ApiPort { get; }
    public int OtlpHttpPort { get; }
    public int OtlpGrpcPort { get; }

    public static async Task<ThreadlineProcess> StartAsync(string dataDirectory, string extraArguments = "", CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo("dotnet",
            $"\"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")}\" serve --data \"{dataDirectory}\" --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0 {extraArguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var process = Process.Start(info)!;
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (errors)
                    errors.Add(e.Data);
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ports = new Dictionary<string, int>();
        try
        {
            while (ports.Count < 3 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var match = PortLine().Match(line);
                if (match.Success)
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (ports.Count < 3)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            string stderr;
            lock (errors)
                stderr = string.Join(Environment.NewLine, errors);
            throw new InvalidOperationException($"threadline serve did not start (exit code {process.ExitCode}): {stderr}");
        }
        // Keep draining standard output so the server never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is not null)
            {
            }
        }, CancellationToken.None);
        return new ThreadlineProcess(process, ports["UI and API"], ports["OTLP/HTTP"], ports["OTLP/gRPC"]);
    }

    public Uri OtlpHttpBase => new($"http://127.0.0.1:{OtlpHttpPort}");

    public Uri OtlpGrpcBase => new($"http://127.0.0.1:{OtlpGrpcPort}");

    public Uri ApiBase => new($"http://127.0.0.1:{ApiPort}");

    /// <summary>SIGKILL: no shutdown code runs, exactly like <c>kill -9</c>.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^\s+(UI and API|OTLP/HTTP|OTLP/gRPC):\s+http://127\.0\.0\.1:(\d+)$")]
    private static partial Regex PortLine();
}
