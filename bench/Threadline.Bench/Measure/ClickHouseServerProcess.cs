using System.Security;

namespace Threadline.Bench.Measure;

/// <summary>
/// The bench's own ClickHouse (Debian's clickhouse-server 18.16, which bench/run installs): a background process bound
/// to 127.0.0.1 on free ports, config, data and logs in a folder of the bench's work folder, parts compressed with zstd
/// by the server's &lt;compression&gt; setting (18.16 has no per-column codecs), as tests/Threadline.Testing/ClickHouseServer.cs.
/// That class is not referenced: it puts its data in a temporary folder of its own, and the bench measures the server's
/// process through <see cref="ChildProcess"/> like every other process it starts. Stopped by its PID on dispose.
/// </summary>
internal sealed class ClickHouseServerProcess : IAsyncDisposable
{
    private static readonly string[] Programs = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"];

    private ClickHouseServerProcess(ChildProcess process, Uri url)
    {
        Process = process;
        Url = url;
    }

    public ChildProcess Process { get; }

    /// <summary>Its HTTP interface.</summary>
    public Uri Url { get; }

    public static async Task<ClickHouseServerProcess> StartAsync(string folder, TimeSpan timeout)
    {
        var program = Programs.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("clickhouse-server is not installed; bench/run installs it (apt-get install clickhouse-server).");
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "config.xml");
        var url = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        await File.WriteAllTextAsync(config, Config(folder, url.Port, Ports.Free(), Ports.Free())).ConfigureAwait(false);
        var process = ChildProcess.Start(program, [$"--config-file={config}"], null, "clickhouse-server");
        var server = new ClickHouseServerProcess(process, url);
        try
        {
            await server.WaitUntilReadyAsync(folder, timeout).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(string folder, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "ping")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (Process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(folder, "log", "clickhouse-server.err.log");
                throw new InvalidOperationException(
                    $"clickhouse-server (pid {Process.Pid}) did not answer GET /ping on {Url} within {timeout}:\n{(File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : string.Join('\n', Process.Output.TakeLast(30)))}");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static string Config(string folder, int httpPort, int tcpPort, int interserverPort)
    {
        string Folder(string name) => SecurityElement.Escape(Path.Combine(folder, name)) + "/";
        return $"""
            <?xml version="1.0"?>
            <!-- Written by bench/Threadline.Bench (Measure/ClickHouseServerProcess.cs) for one bench run. -->
            <yandex>
              <logger>
                <level>warning</level>
                <log>{Folder("log")}clickhouse-server.log</log>
                <errorlog>{Folder("log")}clickhouse-server.err.log</errorlog>
                <size>10M</size>
                <count>1</count>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>{httpPort}</http_port>
              <tcp_port>{tcpPort}</tcp_port>
              <interserver_http_port>{interserverPort}</interserver_http_port>
              <path>{Folder("data")}</path>
              <tmp_path>{Folder("tmp")}</tmp_path>
              <user_files_path>{Folder("user_files")}</user_files_path>
              <format_schema_path>{Folder("format_schemas")}</format_schema_path>
              <mark_cache_size>67108864</mark_cache_size>
              <uncompressed_cache_size>67108864</uncompressed_cache_size>
              <compression>
                <case>
                  <method>zstd</method>
                  <level>6</level>
                </case>
              </compression>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
              </users>
              <profiles>
                <default>
                  <max_threads>2</max_threads>
                </default>
              </profiles>
              <quotas>
                <default></default>
              </quotas>
            </yandex>
            """;
    }

    /// <summary>SIGTERM to its PID, killed if it does not exit in time (<see cref="ChildProcess.DisposeAsync"/>).</summary>
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
