using System.Diagnostics;

namespace Threadline.Reliability.Tests;

/// <summary><c>threadline serve --tls-cert/--tls-key</c> through the real executable: bad files refuse the start, each reported.</summary>
public sealed class TlsFlagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_certificate_and_key_files_are_both_reported_and_the_start_refused()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("n"));
        var info = new ProcessStartInfo("dotnet",
            $"\"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")}\" serve --data \"{Path.GetTempPath()}\" --tls-cert \"{missing}/cert.pem\" --tls-key \"{missing}/key.pem\" --max-queued-bytes 12")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"threadline: --tls-cert '{missing}/cert.pem' does not exist.", errors, StringComparison.Ordinal);
        Assert.Contains($"threadline: --tls-key '{missing}/key.pem' does not exist.", errors, StringComparison.Ordinal);
        Assert.Contains("The queued bytes limit must be at least 1024 bytes (got 12)", errors, StringComparison.Ordinal);
    }
}
