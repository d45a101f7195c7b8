using System.Net;
using Threadline.Server.Security;

namespace Threadline.Server.Tests.Security;

/// <summary>When authentication is on, what a non-loopback bind needs, and what a broken auth file does to the start.</summary>
public sealed class StartupRuleTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-security-tests", Guid.NewGuid().ToString("n"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ThreadlineServerOptions Options(IPAddress? bind = null) => new()
    {
        DataDirectory = _data,
        BindAddress = bind ?? IPAddress.Loopback,
        ApiPort = 0,
        OtlpHttpPort = 0,
        OtlpGrpcPort = 0,
    };

    [Fact]
    public async Task With_a_token_configured_the_server_starts_on_all_addresses_with_authentication_on()
    {
        new AuthStore(_data).CreateToken("exporter", TokenKind.Ingest);

        await using var server = await ThreadlineServer.StartAsync(Options(IPAddress.Any), Ct);
        using var api = new HttpClient();
        using var response = await api.GetAsync(new Uri($"http://127.0.0.1:{server.ApiPort}/api/health"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_new_data_folder_is_created_owner_only()
    {
        await using (await ThreadlineServer.StartAsync(Options(), Ct)) { }

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_data));
        Assert.True(File.Exists(Path.Combine(_data, "threadline.duckdb")));
    }

    [Fact]
    public async Task A_malformed_auth_file_stops_the_start_with_its_path()
    {
        Directory.CreateDirectory(_data);
        await File.WriteAllTextAsync(Path.Combine(_data, AuthFile.FileName), "{ \"version\": 1, \"users\": [", Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ThreadlineServer.StartAsync(Options(), Ct));

        Assert.Contains("auth.json is not a valid Threadline auth file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_from_one_address_are_throttled_even_with_the_right_password()
    {
        new AuthStore(_data).AddUser("alice", "correct horse battery staple");
        await using var server = await ThreadlineServer.StartAsync(Options(), Ct);
        using var browser = SecuredServer.Browser(new Uri($"http://127.0.0.1:{server.ApiPort}"));

        for (var i = 0; i < 10; i++)
        {
            using var failed = await SecuredServer.SignInAsync(browser, "alice", "wrong password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var throttled = await SecuredServer.SignInAsync(browser, "alice", "correct horse battery staple");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Too many failed sign-ins", await throttled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
