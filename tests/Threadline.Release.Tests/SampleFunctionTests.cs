using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Sandbox;
using Threadline.Sandbox.Functions;

namespace Threadline.Release.Tests;

/// <summary>
/// A team's Lambda function (SampleFunction/, outside the solution) takes Threadline.Tracer from the release's
/// folder feed with <c>dotnet add package</c>, builds, and, invoked through the sandbox's Lambda API, reports its
/// invocation with event and response to the released server.
/// </summary>
public sealed class SampleFunctionTests(ReleaseBuild release)
{
    private static readonly TimeSpan DotnetDeadline = TimeSpan.FromMinutes(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_function_built_against_the_package_reports_its_invocation_from_the_sandbox()
    {
        var output = await BuildSampleAsync();
        Assert.Equal(PackedTracer(), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(output, "Threadline.Tracer.dll"), Ct)));
        await using var server = await ReleasedServer.StartAsync(release);
        var package = new LambdaFunctionPackage(output, "SampleFunction::SampleFunction.Function::Handler");
        // The function's configuration, as Lambda gives it to the function's process.
        using var environment = new FunctionEnvironment(new()
        {
            ["THREADLINE_ENDPOINT"] = server.OtlpHttp.ToString(),
            ["THREADLINE_FLUSH_BUDGET_MS"] = "5000",
        });
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        sandbox.Functions.Deploy(new FunctionDefinition("sample-orders", package.CreateHandler) { Timeout = TimeSpan.FromSeconds(30) });

        using var lambda = new HttpClient { BaseAddress = sandbox.Endpoint };
        using var invoke = await lambda.PostAsync(new Uri("/2015-03-31/functions/sample-orders/invocations", UriKind.Relative),
            new StringContent("""{"orderId":"o-17","customer":"ada","amount":21.5}""", Encoding.UTF8, "application/json"), Ct);
        var answer = JsonNode.Parse(await invoke.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(HttpStatusCode.OK, invoke.StatusCode);
        Assert.Equal("accepted", (string?)answer["status"]);
        Assert.Equal(43m, (decimal)answer["total"]!);
        var requestId = invoke.Headers.GetValues("x-amzn-RequestId").Single();

        var list = await server.PollJsonAsync($"/api/transactions?requestId={requestId}",
            l => l.GetProperty("transactions").GetArrayLength() == 1, TimeSpan.FromSeconds(60));
        var transaction = await server.GetJsonAsync($"/api/transactions/{list.GetProperty("transactions")[0].GetProperty("id").GetString()}");
        var invocation = transaction.GetProperty("invocations").EnumerateArray().Single();
        Assert.Equal("sample-orders", invocation.GetProperty("function").GetString());
        Assert.Equal(requestId, invocation.GetProperty("requestId").GetString());
        Assert.True(invocation.GetProperty("coldStart").GetBoolean());
        var detail = await server.PollJsonAsync($"/api/invocations/{invocation.GetProperty("id").GetString()}",
            d => d.GetProperty("logs").GetArrayLength() > 0, TimeSpan.FromSeconds(60));
        var recordedEvent = detail.GetProperty("event");
        Assert.Equal("o-17", Property(recordedEvent, "orderId").GetString());
        Assert.Equal("ada", Property(recordedEvent, "customer").GetString());
        Assert.Equal(21.5m, Property(recordedEvent, "amount").GetDecimal());
        var response = detail.GetProperty("response");
        Assert.Equal("accepted", Property(response, "status").GetString());
        Assert.Equal(43m, Property(response, "total").GetDecimal());
        Assert.Contains(detail.GetProperty("logs").EnumerateArray(), l => l.GetProperty("body").ToString().Contains("accepting order o-17 for ada", StringComparison.Ordinal));
    }

    /// <summary>
    /// A copy of SampleFunction/ in a folder of its own (no Directory.*.props of this repository above it), with a
    /// nuget.config adding the release folder as a feed beside the machine's sources and a packages folder of its own
    /// (so no earlier Threadline.Tracer of the same version is taken from the cache); returns the build output.
    /// </summary>
    private async Task<string> BuildSampleAsync()
    {
        var project = release.NewFolder("sample-function");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "SampleFunction")))
            File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(project, "packages")}" />
              </config>
              <packageSources>
                <add key="threadline-release" value="{release.Dist}" />
              </packageSources>
            </configuration>
            """, Ct);

        await DotnetAsync(project, "add", "package", "Threadline.Tracer", "--version", release.Version);
        var output = Path.Combine(project, "out");
        await DotnetAsync(project, "build", "-c", "Release", "-warnaserror", "-o", output);
        return output;
    }

    private static Task DotnetAsync(string workingDirectory, params string[] arguments) =>
        ReleaseBuild.RunAsync("dotnet", arguments, workingDirectory, DotnetDeadline, ReleaseBuild.WithoutTestHostMsBuild);

    private byte[] PackedTracer()
    {
        using var package = ZipFile.OpenRead(release.Nupkg);
        using var dll = package.GetEntry("lib/net10.0/Threadline.Tracer.dll")!.Open();
        return SHA256.HashData(dll);
    }

    /// <summary>A property of a recorded payload, whatever casing the function's serializer gave it.</summary>
    private static JsonElement Property(JsonElement payload, string name)
    {
        Assert.True(payload.ValueKind == JsonValueKind.Object, $"expected an object, got {payload}");
        return payload.EnumerateObject().Single(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Environment variables set for the function while the test runs, then restored.</summary>
    private sealed class FunctionEnvironment : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public FunctionEnvironment(Dictionary<string, string> variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
                Environment.SetEnvironmentVariable(name, value);
        }
    }
}
