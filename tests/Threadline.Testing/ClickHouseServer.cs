using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security;

namespace Threadline.Testing;

/// <summary>
/// A real ClickHouse server (Debian's clickhouse-server, which scripts/test installs) for one test assembly: started as
/// a background process bound to 127.0.0.1 on free ports, its data, logs and config in a temporary folder, stopped by
/// its PID (SIGTERM, then kill) and the folder deleted on dispose. Use it as an xunit assembly fixture, so that one
/// server serves the assembly and each test class makes its own database. There is no skipping: when the server
/// program is missing, starting throws with the command that installs it.
/// </summary>
public sealed class ClickHouseServer : IAsyncDisposable
{
    public const string InstallCommand = "sudo apt-get update && sudo apt-get install -y clickhouse-server";

    /// <summary>A user with a password, for tests of authentication (the default user has none).</summary>
    public const string PasswordUser = "threadline_test";
    public const string PasswordUserPassword = "s3cret-pässword";

    private static readonly string[] ProgramPaths = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"];

    private readonly Process _process;
    private readonly string _folder;
    private bool _disposed;

    private ClickHouseServer(Process process, string folder, int httpPort)
    {
        _process = process;
        _folder = folder;
        HttpPort = httpPort;
        Url = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    public int HttpPort { get; }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The environment variable that names another server program for the tests, e.g. a newer ClickHouse's
    /// <c>clickhouse</c> binary (run as <c>clickhouse server</c>), to run the same tests on that version.
    /// </summary>
    public const string ProgramVariable = "THREADLINE_TEST_CLICKHOUSE";

    public static Task<ClickHouseServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } program ? [program] : ProgramPaths, cancellationToken);

    /// <summary>Starts the first of <paramref name="programs"/> that exists.</summary>
    public static async Task<ClickHouseServer> StartAsync(IReadOnlyList<string> programs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(programs);
        var program = programs.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"clickhouse-server is not installed (looked for {string.Join(", ", programs)}); the ClickHouse tests need it. Install it with: {InstallCommand} (scripts/test does this).");
        var folder = Path.Combine(Path.GetTempPath(), "threadline-clickhouse", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var httpPort = FreePort();
        var configPath = Path.Combine(folder, "config.xml");
        await File.WriteAllTextAsync(configPath, Config(folder, httpPort, FreePort(), FreePort()), cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        if (program.EndsWith("/clickhouse", StringComparison.Ordinal))
            start.ArgumentList.Add("server");
        start.ArgumentList.Add($"--config-file={configPath}");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program}: no process was started");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {program}: {e.Message}. Install it with: {InstallCommand}", e);
        }
        // Drain its console so that a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ClickHouseServer(process, folder, httpPort);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"clickhouse-server exited with code {_process.ExitCode} while starting; its log:\n{ErrorLog()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "ping"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This ping timed out; try again.
            }
            if (stopwatch.Elapsed > deadline)
                throw new TimeoutException($"clickhouse-server (pid {_process.Id}) did not answer GET /ping on port {HttpPort} within {deadline}; its log:\n{ErrorLog()}");
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_folder, "log", "clickhouse-server.err.log");
        if (!File.Exists(path))
            return "(no log written)";
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines.TakeLast(30));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Config(string folder, int httpPort, int tcpPort, int interserverPort)
    {
        string Path_(string name) => SecurityElement.Escape(Path.Combine(folder, name)) + "/";
        return $"""
            <?xml version="1.0"?>
            <!-- Written by Threadline's test fixture (tests/Threadline.Testing/ClickHouseServer.cs): a small server for one test run. -->
            <yandex>
              <logger>
                <level>warning</level>
                <log>{Path_("log")}clickhouse-server.log</log>
                <errorlog>{Path_("log")}clickhouse-server.err.log</errorlog>
                <size>10M</size>
                <count>1</count>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>{httpPort}</http_port>
              <tcp_port>{tcpPort}</tcp_port>
              <interserver_http_port>{interserverPort}</interserver_http_port>
              <path>{Path_("data")}</path>
              <tmp_path>{Path_("tmp")}</tmp_path>
              <user_files_path>{Path_("user_files")}</user_files_path>
              <format_schema_path>{Path_("format_schemas")}</format_schema_path>
              <mark_cache_size>67108864</mark_cache_size>
              <uncompressed_cache_size>67108864</uncompressed_cache_size>
              <max_concurrent_queries>64</max_concurrent_queries>
              <!-- Server-level compression: 18.16 has no per-column codecs, so this is how parts are compressed. -->
              <compression>
                <case>
                  <method>zstd</method>
                </case>
              </compression>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
                <{PasswordUser}>
                  <password>{SecurityElement.Escape(PasswordUserPassword)}</password>
                  <networks><ip>127.0.0.1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </{PasswordUser}>
              </users>
              <profiles>
                <default>
                  <max_memory_usage>1000000000</max_memory_usage>
                  <max_threads>2</max_threads>
                </default>
              </profiles>
              <quotas>
                <default></default>
              </quotas>
            </yandex>
            """;
    }

    /// <summary>Stops the server by its PID: SIGTERM, then kill after 10 s; deletes its folder. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                    term?.WaitForExit();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temporary folder is left for the OS to clean.
            }
        }
    }
}
