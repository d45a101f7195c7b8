using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Threadline.Release.Tests;

/// <summary>The extracted binary, on a machine without .NET: it ingests OTLP and serves the UI and the API.</summary>
public sealed partial class ReleasedServerTests(ReleaseBuild release)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_runs_without_dotnet_takes_an_sdk_export_serves_the_transaction_and_stops_on_sigterm()
    {
        await using var server = await ReleasedServer.StartAsync(release);

        // Nothing of the installed .NET is loaded: the runtime is inside the binary.
        var dotnetRoot = ReleasedServer.InstalledDotnetRoot();
        Assert.DoesNotContain(server.MappedFiles(), f => f.StartsWith(dotnetRoot + "/", StringComparison.Ordinal));
        Assert.Contains(server.MappedFiles(), f => f == Path.Combine(release.Extracted, "libduckdb.so"));

        var traceId = ExportCheckout(new Uri(server.OtlpHttp, "v1/traces"));

        var list = await server.PollJsonAsync($"/api/transactions?traceId={traceId}",
            l => l.GetProperty("transactions").GetArrayLength() == 1, TimeSpan.FromSeconds(30));
        var summary = list.GetProperty("transactions")[0];
        Assert.Equal("release-checkout", summary.GetProperty("entry").GetProperty("name").GetString());
        Assert.Equal(1, summary.GetProperty("invocationCount").GetInt32());
        var transaction = await server.GetJsonAsync($"/api/transactions/{summary.GetProperty("id").GetString()}");
        var spans = transaction.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(["POST /checkout", "charge card"], spans.Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(spans, s => Assert.Equal(traceId, s.GetProperty("traceId").GetString()));
        Assert.Equal("release-checkout", transaction.GetProperty("invocations")[0].GetProperty("service").GetString());

        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task The_home_page_renders_with_every_stylesheet_and_script_it_references()
    {
        await using var server = await ReleasedServer.StartAsync(release);

        using var page = await server.Http.GetAsync(new Uri("/", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var stylesheets = Stylesheet().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var scripts = Script().Matches(html).Select(m => m.Groups[1].Value).ToList();
        // The three kinds of static files: the UI's own (with the scoped CSS bundle), npm's, and packages' (Fluent UI, Blazor).
        Assert.Contains("css/app.css", stylesheets);
        Assert.Contains("Threadline.Web.styles.css", stylesheets);
        Assert.Contains(stylesheets, s => s.StartsWith("_content/Microsoft.FluentUI.AspNetCore.Components/", StringComparison.Ordinal));
        Assert.Contains("lib/chart.umd.min.js", scripts);
        Assert.Contains("_framework/blazor.web.js", scripts);
        foreach (var (path, type) in stylesheets.Select(s => (s, "text/css")).Concat(scripts.Select(s => (s, "text/javascript"))))
        {
            using var asset = await server.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"GET /{path}: {(int)asset.StatusCode}");
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await asset.Content.ReadAsByteArrayAsync(Ct));
        }
        // Fluent UI's JavaScript initializer, which Blazor finds through the modules manifest and lists in the page.
        var initializers = JsonSerializer.Deserialize<string[]>(Convert.FromBase64String(Initializers().Match(html).Groups[1].Value))!;
        Assert.Contains("_content/Microsoft.FluentUI.AspNetCore.Components/Microsoft.FluentUI.AspNetCore.Components.lib.module.js", initializers);
        foreach (var module in initializers)
        {
            using var asset = await server.Http.GetAsync(new Uri(module, UriKind.Relative), Ct);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"GET /{module}: {(int)asset.StatusCode}");
        }
    }

    /// <summary>A SERVER span and a CLIENT child through the OpenTelemetry SDK's OTLP/HTTP exporter; returns the trace id.</summary>
    private static string ExportCheckout(Uri endpoint)
    {
        const string sourceName = "threadline.release.tests";
        using var source = new ActivitySource(sourceName);
        string traceId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("release-checkout"))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = endpoint;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using (var checkout = source.StartActivity("POST /checkout", ActivityKind.Server)!)
            {
                traceId = checkout.TraceId.ToHexString();
                using var charge = source.StartActivity("charge card", ActivityKind.Client)!;
                charge.SetTag("amount", 42L);
            }
            Assert.True(provider.ForceFlush(30_000), "the OTLP export was not acknowledged");
        }
        return traceId;
    }

    [GeneratedRegex("""<link rel="stylesheet" href="([^"]+)"\s*/?>""")]
    private static partial Regex Stylesheet();

    [GeneratedRegex("""<script src="([^"]+)"\s*>""")]
    private static partial Regex Script();

    [GeneratedRegex("<!--Blazor-Web-Initializers:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex Initializers();
}
