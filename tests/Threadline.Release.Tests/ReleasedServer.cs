using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Threadline.Release.Tests;

/// <summary>
/// The extracted <c>threadline serve</c>, started as on a machine without .NET: PATH holds no dotnet, no
/// DOTNET_* or MSBuild variable is set, the working directory is an empty folder, every port is picked free.
/// </summary>
public sealed partial class ReleasedServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private Task _drain = Task.CompletedTask;

    private ReleasedServer(Process process, int apiPort, int otlpHttpPort, int otlpGrpcPort)
    {
        _process = process;
        Api = new Uri($"http://127.0.0.1:{apiPort}/");
        OtlpHttp = new Uri($"http://127.0.0.1:{otlpHttpPort}/");
        OtlpGrpc = new Uri($"http://127.0.0.1:{otlpGrpcPort}/");
        Http = new HttpClient { BaseAddress = Api };
    }

    public Uri Api { get; }

    public Uri OtlpHttp { get; }

    public Uri OtlpGrpc { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static async Task<ReleasedServer> StartAsync(ReleaseBuild release)
    {
        var start = WithoutDotnet(new ProcessStartInfo(release.Binary)
        {
            WorkingDirectory = release.NewFolder("cwd"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }, release);
        foreach (var argument in new[] { "serve", "--data", release.NewFolder("data"), "--api-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        var ports = new Dictionary<string, int>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(StartDeadline);
        try
        {
            while (ports.Count < 3 && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.AppendLine(line);
                if (PortLine().Match(line) is { Success: true } match)
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (ports.Count < 3)
        {
            process.Kill(entireProcessTree: true);
            var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            throw new InvalidOperationException($"threadline serve did not print its ports within {StartDeadline}:\n{output}\n{error}");
        }
        var server = new ReleasedServer(process, ports["UI and API"], ports["OTLP/HTTP"], ports["OTLP/gRPC"]);
        server._output.Append(output);
        server._drain = Task.WhenAll(server.Drain(process.StandardOutput), server.Drain(process.StandardError));
        return server;
    }

    /// <summary>The environment of a machine with no .NET installed: PATH is an empty folder, no DOTNET_* variable.</summary>
    public static ProcessStartInfo WithoutDotnet(ProcessStartInfo start, ReleaseBuild release)
    {
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["PATH"] = release.NewFolder("empty-path");
        return start;
    }

    /// <summary>The folder of the .NET installation running these tests (e.g. /usr/share/dotnet).</summary>
    public static string InstalledDotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The files the running server has mapped into memory (its binary, native libraries), from /proc.</summary>
    public IReadOnlyList<string> MappedFiles() =>
        File.ReadLines($"/proc/{_process.Id}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].StartsWith('/'))
            .Select(fields => fields[5].Trim())
            .Distinct()
            .ToList();

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var text = await Http.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asks the API until the answer satisfies <paramref name="done"/>, or fails after the deadline with the last answer.</summary>
    public async Task<JsonElement> PollJsonAsync(string path, Func<JsonElement, bool> done, TimeSpan deadline)
    {
        var until = Stopwatch.StartNew();
        JsonElement last;
        while (true)
        {
            last = await GetJsonAsync(path);
            if (done(last))
                return last;
            if (until.Elapsed > deadline)
                throw new TimeoutException($"GET {path} still answered {last} after {deadline}; server output:\n{Output}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>SIGTERM, as systemd stops the service; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(StartDeadline);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        await _drain;
        _process.Dispose();
    }

    private async Task Drain(StreamReader reader)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lock (_output)
                _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"^\s*(UI and API|OTLP/HTTP|OTLP/gRPC):\s+http://127\.0\.0\.1:(\d+)")]
    private static partial Regex PortLine();
}
