namespace Threadline.Server.Tests;

public sealed partial class CommandLineTests
{
    [Theory]
    [InlineData("--store clickhouse", null)]
    [InlineData("", "clickhouse")]
    public async Task An_unknown_store_exits_2_naming_the_accepted_ones(string flag, string? variable)
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        var environment = new Dictionary<string, string> { ["THREADLINE_DATA"] = data };
        if (variable is not null)
            environment["THREADLINE_STORE"] = variable;
        using var process = Start($"serve {flag} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0", environment);

        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("threadline: --store 'clickhouse' is not a storage backend of this Threadline; accepted: duckdb.", errors);
        Assert.False(Directory.Exists(data));
    }
}
