namespace Threadline.Release.Tests;

/// <summary>The systemd unit shipped in the tarball: systemd's own checker accepts it, and it runs the service as intended.</summary>
public sealed class SystemdUnitTests(ReleaseBuild release)
{
    private const string InstalledBinary = "/opt/threadline/threadline";

    private string Unit => File.ReadAllText(Path.Combine(release.Extracted, "threadline.service"));

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        // verify checks that ExecStart's program exists: this copy points at the extracted binary instead of /opt.
        var folder = release.NewFolder("unit");
        var unit = Path.Combine(folder, "threadline.service");
        Assert.Contains($"ExecStart={InstalledBinary} ", Unit, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, Unit.Replace(InstalledBinary, release.Binary, StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await ReleaseBuild.RunAsync("systemd-analyze", ["verify", unit], folder, TimeSpan.FromMinutes(1));

        Assert.Equal("", result.Error.Trim());
    }

    [Fact]
    public void The_unit_runs_serve_as_its_own_user_on_the_state_folder_restarts_on_failure_and_is_hardened()
    {
        var settings = Unit.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal)).ToList();

        Assert.Contains($"ExecStart={InstalledBinary} serve --data /var/lib/threadline", settings);
        Assert.Contains("User=threadline", settings);
        Assert.Contains("StateDirectory=threadline", settings);
        Assert.Contains("Restart=on-failure", settings);
        foreach (var hardening in new[] { "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/threadline", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=" })
            Assert.Contains(hardening, settings);
    }
}
