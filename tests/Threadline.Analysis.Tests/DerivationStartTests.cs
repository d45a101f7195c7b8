using System.Text.Json;
using Threadline.Analysis.Configuration;
using Threadline.Server;

namespace Threadline.Analysis.Tests;

/// <summary>
/// Start takes no replay for the analysis: a restart answers from the stored analysis with nothing to derive, and a
/// folder whose spans were stored without analysis (a crash between commit and derivation, or a folder from before
/// the analysis was stored) is derived in the background, with its progress in <c>/api/health</c>.
/// </summary>
public sealed class DerivationStartTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AnalysisOptions Options(ManualTime time) => new()
    {
        Time = time,
        EvaluationInterval = null,
        UserRule = new ValueRule { Source = ValueSource.Header, Name = "X-User-Id" },
        VipUsers = [PaymentsScenario.Vip],
    };

    [Fact]
    public async Task A_restart_answers_issues_and_functions_from_the_store_with_nothing_to_derive()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        string issues;
        string functions;
        var first = await AnalysisServer.StartAsync(Options, data);
        try
        {
            await first.SendAsync(PaymentsScenario.Build(T0));
            issues = (await first.GetAsync("/api/issues")).ToString();
            functions = (await first.GetAsync("/api/functions")).ToString();
        }
        finally
        {
            await first.Server.DisposeAsync();
        }

        await using var second = await AnalysisServer.StartAsync(Options, data);
        var derivation = await SettledDerivationAsync(second);
        Assert.Equal(("done", 0L), (derivation.GetProperty("state").GetString(), derivation.GetProperty("spansDone").GetInt64()));
        Assert.Equal(issues, (await second.GetAsync("/api/issues")).ToString());
        Assert.Equal(functions, (await second.GetAsync("/api/functions")).ToString());
        Assert.NotEqual("[]", issues);
    }

    [Fact]
    public async Task Spans_stored_without_analysis_are_derived_in_the_background_to_the_same_answers()
    {
        var withoutAnalysis = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        var invocations = PaymentsScenario.Build(T0);
        string expectedIssues;
        string expectedFunctions;
        await using (var live = await AnalysisServer.StartAsync(Options))
        {
            await live.SendAsync(invocations);
            expectedIssues = (await live.GetAsync("/api/issues")).ToString();
            expectedFunctions = (await live.GetAsync("/api/functions")).ToString();
        }
        // The same spans stored by a server without the analysis module: the folder has spans and no analysis.
        await using (var plain = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = withoutAnalysis, ApiPort = 0, OtlpHttpPort = 0, OtlpGrpcPort = 0, Modules = [],
        }, Ct))
        {
            using var otlp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{plain.OtlpHttpPort}") };
            using var content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(Inv.Request(invocations)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
            using var response = await otlp.PostAsync("/v1/traces", content, Ct);
            response.EnsureSuccessStatusCode();
        }

        await using var server = await AnalysisServer.StartAsync(Options, withoutAnalysis);
        var derivation = await SettledDerivationAsync(server);
        var spans = (await server.GetAsync("/api/health")).GetProperty("spans").GetInt64();
        var parts = derivation.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(("done", parts.Sum(p => p.GetProperty("spansDone").GetInt64())), (derivation.GetProperty("state").GetString(), derivation.GetProperty("spansDone").GetInt64()));
        // The stitcher derived these spans when they were stored; the analysis and the search index derive all of them now.
        foreach (var name in new[] { "analysis", "search" })
        {
            var part = Assert.Single(parts, p => p.GetProperty("part").GetString() == name);
            Assert.Equal((name, "done", spans), (name, part.GetProperty("state").GetString(), part.GetProperty("spansDone").GetInt64()));
        }
        Assert.Equal(expectedIssues, (await server.GetAsync("/api/issues")).ToString());
        Assert.Equal(expectedFunctions, (await server.GetAsync("/api/functions")).ToString());
    }

    [Fact]
    public async Task Resolutions_and_recorded_deployments_of_a_folder_from_before_are_imported_into_the_store_once()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        var failure = new Fn("notify").Invoke(T0.AddMinutes(-30), 20).Throws("TwilioException", "Invalid number +15550001");
        string issue;
        var first = await AnalysisServer.StartAsync(Options, data);
        try
        {
            await first.SendAsync(failure);
            issue = (await first.IssuesOfAsync("notify"))[0].GetProperty("id").GetString()!;
        }
        finally
        {
            await first.Server.DisposeAsync();
        }
        // What the previous version kept beside the database file.
        var resolvedAt = T0.AddMinutes(-10);
        await File.WriteAllTextAsync(Path.Combine(data, "analysis-resolutions.json"), JsonSerializer.Serialize(new Dictionary<string, DateTimeOffset> { [issue] = resolvedAt }), Ct);
        await File.WriteAllTextAsync(Path.Combine(data, "analysis-deployments.json"),
            JsonSerializer.Serialize(new[] { new { Function = "notify", Version = "v7", Time = T0.AddMinutes(-5) } }), Ct);

        var second = await AnalysisServer.StartAsync(Options, data);
        try
        {
            Assert.Equal(("resolved", resolvedAt), ((await second.GetAsync($"/api/issues/{issue}")).GetProperty("state").GetString(),
                (await second.GetAsync($"/api/issues/{issue}")).GetProperty("resolvedAt").GetDateTimeOffset()));
            Assert.False(File.Exists(Path.Combine(data, "analysis-resolutions.json")));
            Assert.True(File.Exists(Path.Combine(data, "analysis-resolutions.json.imported")));
            Assert.False(File.Exists(Path.Combine(data, "analysis-deployments.json")));
        }
        finally
        {
            await second.Server.DisposeAsync();
        }

        // Read from the store from now on: the imported files are not read again.
        File.Delete(Path.Combine(data, "analysis-resolutions.json.imported"));
        File.Delete(Path.Combine(data, "analysis-deployments.json.imported"));
        await using var third = await AnalysisServer.StartAsync(Options, data);
        Assert.Equal("resolved", (await third.GetAsync($"/api/issues/{issue}")).GetProperty("state").GetString());
        var deployment = Assert.Single((await third.GetAsync("/api/deployments")).EnumerateArray());
        Assert.Equal(("notify", "v7", "recorded", T0.AddMinutes(-5)), (deployment.GetProperty("function").GetString(), deployment.GetProperty("version").GetString(),
            deployment.GetProperty("source").GetString(), deployment.GetProperty("time").GetDateTimeOffset()));
    }

    /// <summary>The health's derivation once the background derivation has finished (it starts with the host).</summary>
    private static async Task<JsonElement> SettledDerivationAsync(AnalysisServer server)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var derivation = (await server.GetAsync("/api/health")).GetProperty("derivation");
            if (derivation.GetProperty("state").GetString() is "done" or "failed")
                return derivation;
            await poll.WaitForNextTickAsync(deadline.Token);
        }
    }
}
