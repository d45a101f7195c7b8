using System.IO.Compression;
using System.Xml.Linq;

namespace Threadline.Release.Tests;

/// <summary>Threadline.Tracer.VERSION.nupkg and its symbols, as NuGet and its users read them.</summary>
public sealed class TracerPackageTests(ReleaseBuild release)
{
    [Fact]
    public void The_package_has_the_readme_the_license_and_its_dependencies_as_package_references()
    {
        using var package = ZipFile.OpenRead(release.Nupkg);
        var metadata = Nuspec(package);

        Assert.Equal("Threadline.Tracer", Value(metadata, "id"));
        Assert.Equal(release.Version, Value(metadata, "version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "Apache-2.0"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("ThreadlineTracer.Default.InvokeAsync", new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd(), StringComparison.Ordinal);
        Assert.NotNull(package.GetEntry("lib/net10.0/Threadline.Tracer.dll"));

        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        var centralVersions = XDocument.Load(Path.Combine(release.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        foreach (var id in new[] { "OpenTelemetry", "OpenTelemetry.Exporter.OpenTelemetryProtocol", "AWSSDK.Core" })
            Assert.Equal(centralVersions[id], dependencies[id]);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("Threadline.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_symbols_package_holds_the_pdb_of_the_packed_assembly()
    {
        using var symbols = ZipFile.OpenRead(release.Snupkg);

        Assert.Equal(release.Version, Value(Nuspec(symbols), "version"));
        Assert.NotNull(symbols.GetEntry("lib/net10.0/Threadline.Tracer.pdb"));
    }

    private static XElement Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName == "Threadline.Tracer.nuspec").Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}
