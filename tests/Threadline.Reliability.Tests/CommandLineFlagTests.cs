using System.Diagnostics;

namespace Threadline.Reliability.Tests;

/// <summary>The new flags of <c>threadline serve</c> through the real executable: accepted, and reported when malformed.</summary>
public sealed class CommandLineFlagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_retention_budget_and_queue_bound_are_all_reported_and_the_start_refused()
    {
        var info = new ProcessStartInfo("dotnet",
            $"\"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")}\" serve --data \"{Path.GetTempPath()}\" --retention week --disk-budget 10parsecs --max-queued-bytes 12")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--retention must be a positive age such as 7d, 12h, 30m or 90s (got 'week')", errors, StringComparison.Ordinal);
        Assert.Contains("--disk-budget must be a size such as 10GB, 500MB or a number of bytes (got '10parsecs')", errors, StringComparison.Ordinal);
        Assert.Contains("The queued bytes limit must be at least 1024 bytes (got 12)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_budget_and_queue_bound_flags_are_accepted()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
        try
        {
            await using var server = await ThreadlineProcess.StartAsync(data, "--retention 7d --disk-budget 10GB --max-queued-bytes 8388608", Ct);
            using var api = new HttpClient { BaseAddress = server.ApiBase };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/health", Ct)).StatusCode);
        }
        finally
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }
}
