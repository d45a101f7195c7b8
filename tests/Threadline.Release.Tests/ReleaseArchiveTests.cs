using System.Runtime.Versioning;

namespace Threadline.Release.Tests;

/// <summary>What the release folder and the linux-x64 tarball hold, and what the binary says it is.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReleaseArchiveTests(ReleaseBuild release)
{
    [Fact]
    public void The_tarball_holds_a_single_file_binary_with_the_native_store_the_web_ui_and_the_documents()
    {
        var entries = Directory.EnumerateFileSystemEntries(release.Extracted).Select(Path.GetFileName).Order().ToList();

        Assert.Equal(
            ["LICENSE", "README.md", "SECURITY.md", "Threadline.Web.staticwebassets.endpoints.json", "libduckdb.so", "threadline", "threadline.service", "wwwroot"],
            entries);
        // Single-file: no managed assembly, runtime or dependency manifest beside the binary.
        Assert.Empty(Directory.EnumerateFiles(release.Extracted, "*.dll", SearchOption.AllDirectories));
        Assert.True(File.GetUnixFileMode(release.Binary).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(ElfMachine.X86_64, ElfMachine.Of(release.Binary));
        Assert.Equal(ElfMachine.X86_64, ElfMachine.Of(Path.Combine(release.Extracted, "libduckdb.so")));
        Assert.Equal(File.ReadAllText(Path.Combine(release.RepositoryRoot, "LICENSE")), File.ReadAllText(Path.Combine(release.Extracted, "LICENSE")));
        Assert.Contains("Apache License", File.ReadAllText(Path.Combine(release.Extracted, "LICENSE")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(release.Extracted, "wwwroot", "_framework", "blazor.web.js")));
        Assert.True(File.Exists(Path.Combine(release.Extracted, "wwwroot", "lib", "chart.umd.min.js")));
    }

    [Fact]
    public async Task The_checksums_verify_with_sha256sum_and_cover_the_tarball_and_the_packages()
    {
        var check = await ReleaseBuild.RunAsync("sha256sum", ["-c", "SHA256SUMS"], release.Dist, TimeSpan.FromMinutes(2));

        var verified = check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToList();
        Assert.Equal(
            [$"Threadline.Tracer.{release.Version}.nupkg: OK", $"Threadline.Tracer.{release.Version}.snupkg: OK", $"{release.TarballName}: OK"],
            verified);
    }

    [Fact]
    public async Task A_changed_tarball_fails_the_checksum()
    {
        var copy = release.NewFolder("tampered");
        File.Copy(Path.Combine(release.Dist, "SHA256SUMS"), Path.Combine(copy, "SHA256SUMS"));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(release.Dist, release.TarballName), TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(Path.Combine(copy, release.TarballName), bytes, TestContext.Current.CancellationToken);

        var check = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ReleaseBuild.RunAsync("sha256sum", ["-c", "--ignore-missing", "SHA256SUMS"], copy, TimeSpan.FromMinutes(2)));
        Assert.Contains($"{release.TarballName}: FAILED", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_release_version_and_the_commit_without_dotnet_installed()
    {
        var result = await ReleaseBuild.RunAsync(release.Binary, ["--version"], release.NewFolder("cwd"), TimeSpan.FromMinutes(1),
            start => ReleasedServer.WithoutDotnet(start, release));

        Assert.Equal($"threadline {release.Version} (commit {release.Commit})", result.Output.Trim());
    }
}

/// <summary>The machine field of an ELF header: which CPU a binary is for.</summary>
internal static class ElfMachine
{
    public const ushort X86_64 = 62;

    public static ushort Of(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[20];
        file.ReadExactly(header);
        Assert.True(header[..4].SequenceEqual("\u007fELF"u8), $"{path} is not an ELF file");
        return BitConverter.ToUInt16(header[18..20]);
    }
}
