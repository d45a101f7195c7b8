using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Threadline.Server.Tests.Security;

/// <summary>The real <c>threadline</c> executable: <c>threadline auth …</c>, and <c>serve</c> refusing to start open to the network.</summary>
public sealed partial class AuthCommandLineTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-security-cli-tests", Guid.NewGuid().ToString("n"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_bound_to_all_addresses_without_authentication_refuses_to_start_and_says_what_to_run()
    {
        var (exitCode, output, errors) = await RunAsync($"serve --bind 0.0.0.0 --data {_data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("threadline: cannot start: bound to 0.0.0.0", errors, StringComparison.Ordinal);
        Assert.Contains($"threadline auth add-user NAME --data {_data}", errors, StringComparison.Ordinal);
        Assert.Contains("threadline auth create-token NAME --kind ingest", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Threadline is running", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "threadline.duckdb")));
    }

    [Fact]
    public async Task The_bind_address_also_comes_from_the_environment_and_a_malformed_one_is_reported()
    {
        var (fromEnvironment, _, environmentErrors) = await RunAsync($"serve --data {_data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0", new() { ["THREADLINE_BIND"] = "::" });
        var (malformed, _, malformedErrors) = await RunAsync($"serve --bind example.org --data {_data}");

        Assert.Equal(1, fromEnvironment);
        Assert.Contains("cannot start: bound to ::", environmentErrors, StringComparison.Ordinal);
        Assert.Equal(2, malformed);
        Assert.Contains("--bind 'example.org' is not an IP address", malformedErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_auth_without_any_user_or_token_refuses_to_start()
    {
        var (exitCode, _, errors) = await RunAsync($"serve --require-auth --data {_data} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0");

        Assert.Equal(1, exitCode);
        Assert.Contains("authentication is required but", errors, StringComparison.Ordinal);
        Assert.Contains("threadline auth add-user NAME", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_commands_add_create_list_and_revoke_and_store_only_hashes()
    {
        var (added, addedOutput, _) = await RunAsync($"auth add-user alice --password-stdin --data {_data}", stdin: "a long enough password\n");
        var (ingest, ingestToken, ingestHelp) = await RunAsync($"auth create-token lambdas --kind ingest --data {_data}");
        var (api, apiToken, _) = await RunAsync($"auth create-token ci --kind api --data {_data}");
        var (taken, _, takenErrors) = await RunAsync($"auth create-token alice --kind api --data {_data}");
        var (shortPassword, _, shortErrors) = await RunAsync($"auth add-user bob --password-stdin --data {_data}", stdin: "short\n");
        var (wrongKind, _, _) = await RunAsync($"auth create-token x --kind admin --data {_data}");

        Assert.Equal(0, added);
        Assert.Contains("Added user 'alice'", addedOutput, StringComparison.Ordinal);
        Assert.Equal(0, ingest);
        Assert.Matches(IngestToken(), ingestToken.Trim());
        Assert.Contains("X-Threadline-Token", ingestHelp, StringComparison.Ordinal);
        Assert.Equal(0, api);
        Assert.Matches(ApiToken(), apiToken.Trim());
        Assert.Equal(2, taken);
        Assert.Contains("already exists", takenErrors, StringComparison.Ordinal);
        Assert.Equal(2, shortPassword);
        Assert.Contains("at least 12 characters", shortErrors, StringComparison.Ordinal);
        Assert.NotEqual(0, wrongKind);

        var file = Path.Combine(_data, "auth.json");
        var stored = await File.ReadAllTextAsync(file, Ct);
        Assert.DoesNotContain(ingestToken.Trim(), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(apiToken.Trim(), stored, StringComparison.Ordinal);
        Assert.DoesNotContain("a long enough password", stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_data));
        }

        var (_, list, _) = await RunAsync($"auth list --data {_data}");
        Assert.Matches(@"alice\s+user", list);
        Assert.Matches(@"lambdas\s+ingest token", list);
        Assert.Matches(@"ci\s+API token", list);

        var (revoked, _, _) = await RunAsync($"auth revoke lambdas --data {_data}");
        var (unknown, _, unknownErrors) = await RunAsync($"auth revoke lambdas --data {_data}");
        var (_, after, _) = await RunAsync($"auth list --data {_data}");
        Assert.Equal(0, revoked);
        Assert.Equal(2, unknown);
        Assert.Contains("No user or token is named 'lambdas'", unknownErrors, StringComparison.Ordinal);
        Assert.DoesNotContain("lambdas", after, StringComparison.Ordinal);
        Assert.Contains("alice", after, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string arguments, Dictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "threadline.dll")} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? [])
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await errors);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    [GeneratedRegex("^tl_ingest_[A-Za-z0-9_-]{43}$")]
    private static partial Regex IngestToken();

    [GeneratedRegex("^tl_api_[A-Za-z0-9_-]{43}$")]
    private static partial Regex ApiToken();
}
