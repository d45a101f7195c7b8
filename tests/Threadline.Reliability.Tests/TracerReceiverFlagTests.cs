using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Threadline.Reliability.Tests;

/// <summary>
/// <c>--xray-port</c>, <c>--xray-bind</c> and <c>--zipkin-port</c> (and THREADLINE_ZIPKIN_PORT) through the real
/// executable: off unless asked for, the chosen ports printed, malformed values reported.
/// </summary>
public sealed partial class TracerReceiverFlagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_receiver_flags_are_all_reported_and_the_start_refused()
    {
        using var process = Process.Start(Serve(Path.GetTempPath(), "--xray-port two-thousand --xray-bind nowhere --zipkin-port 70000"))!;
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--xray-port 'two-thousand' is not a port number.", errors, StringComparison.Ordinal);
        Assert.Contains("--xray-bind 'nowhere' is not an IP address", errors, StringComparison.Ordinal);
        Assert.Contains("The Zipkin port must be between 0 and 65535 (got 70000).", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flag_and_the_variable_turn_the_receivers_on_and_print_their_ports()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
        var info = Serve(data, "--xray-port 0");
        info.Environment["THREADLINE_ZIPKIN_PORT"] = "0";
        using var process = Process.Start(info)!;
        try
        {
            var (api, zipkin, xray) = await ReadPortsAsync(process);
            using var http = new HttpClient();

            using (var udp = new UdpClient(AddressFamily.InterNetwork))
                await udp.SendAsync(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", "xray-udp-1.txt")),
                    new IPEndPoint(IPAddress.Loopback, xray), Ct);
            using var zipkinResponse = await http.PostAsync(new Uri($"http://127.0.0.1:{zipkin}/api/v2/spans"), new ByteArrayContent(
                File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", "node-exporters-2_api_v2_spans.bin")))
            { Headers = { ContentType = new("application/json") } }, Ct);

            Assert.Equal(HttpStatusCode.Accepted, zipkinResponse.StatusCode);
            await Poll.UntilAsync(async () =>
            {
                using var trace = await http.GetAsync(new Uri($"http://127.0.0.1:{api}/api/traces/6b07a8301972105cc0b9d32221aad483"), Ct);
                return trace.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(20), () => "the X-Ray datagram sent to the printed port was not stored");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(int Api, int Zipkin, int Xray)> ReadPortsAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ports = new Dictionary<string, int>();
        var output = new StringBuilder();
        try
        {
            while (ports.Count < 3 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (PortLine().Match(line) is { Success: true } match)
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(ports.Count == 3, $"threadline serve did not print the three ports:\n{output}");
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is not null)
            {
            }
        }, CancellationToken.None);
        return (ports["UI and API"], ports["Zipkin"], ports["X-Ray UDP"]);
    }

    private static ProcessStartInfo Serve(string data, string arguments) =>
        new("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")}\" serve --data \"{data}\" --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0 {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

    [GeneratedRegex(@"^\s+(UI and API|Zipkin|X-Ray UDP):\s+(?:http://)?127\.0\.0\.1:(\d+)")]
    private static partial Regex PortLine();
}
