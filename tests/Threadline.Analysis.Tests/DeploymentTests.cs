using System.Net;

namespace Threadline.Analysis.Tests;

/// <summary>Deployments detected from versions or recorded by API, and their before/after verdicts.</summary>
public sealed class DeploymentTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;

    [Fact]
    public async Task A_v2_that_fixes_the_failure_is_detected_and_gets_a_fixed_issue_verdict()
    {
        await using var server = await AnalysisServer.StartAsync();
        var v1 = new Fn("send-email", "v1");
        var v2 = new Fn("send-email", "v2");
        var invocations = new List<Inv>();
        for (var i = 0; i < 60; i++)
            invocations.Add(v1.Invoke(T0.AddMinutes(-60).AddSeconds(i * 30), 100).Throws("SmtpException", $"Mailbox unavailable (request {i})"));
        for (var i = 0; i < 10; i++)
            invocations.Add(v2.Invoke(T0.AddMinutes(-30).AddMinutes(i), 100));
        await server.SendAsync(invocations);
        var issue = Assert.Single((await server.IssuesOfAsync("send-email")).EnumerateArray()).GetProperty("id").GetString();

        var deployment = Assert.Single((await server.GetAsync("/api/deployments")).EnumerateArray());

        Assert.Equal("send-email", deployment.GetProperty("function").GetString());
        Assert.Equal("v2", deployment.GetProperty("version").GetString());
        Assert.Equal("v1", deployment.GetProperty("previousVersion").GetString());
        Assert.Equal("detected", deployment.GetProperty("source").GetString());
        Assert.Equal(T0.AddMinutes(-30), deployment.GetProperty("time").GetDateTimeOffset());
        Assert.Equal($"errors 120/h → 0/h after v2: fixed issue #{issue}", deployment.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_slower_v3_gets_a_p95_verdict_and_a_new_failure_is_named()
    {
        await using var server = await AnalysisServer.StartAsync();
        var invocations = new List<Inv>();
        for (var i = 0; i < 20; i++)
            invocations.Add(new Fn("menu", "v2").Invoke(T0.AddMinutes(-40).AddMinutes(i), 100));
        for (var i = 0; i < 20; i++)
            invocations.Add(new Fn("menu", "v3").Invoke(T0.AddMinutes(-20).AddMinutes(i), 140));
        await server.SendAsync(invocations);
        Assert.Equal("p95 +40% after v3", Assert.Single((await server.GetAsync("/api/deployments")).EnumerateArray()).GetProperty("verdict").GetString());

        await server.SendAsync(new Fn("menu", "v3").Invoke(T0.AddSeconds(-30), 140).Throws("NullReferenceException", "Object reference not set"));
        var issue = Assert.Single((await server.IssuesOfAsync("menu")).EnumerateArray()).GetProperty("id").GetString();
        var verdict = Assert.Single((await server.GetAsync("/api/deployments")).EnumerateArray()).GetProperty("verdict").GetString();
        Assert.StartsWith($"errors 0/h → 3/h after v3: new issue #{issue}; p95 +40% after v3", verdict);
    }

    [Fact]
    public async Task A_recorded_deployment_is_listed_with_its_verdict_and_bad_bodies_are_400()
    {
        await using var server = await AnalysisServer.StartAsync();
        var fn = new Fn("lunchbot", "1");
        var invocations = new List<Inv>();
        for (var i = 0; i < 10; i++)
            invocations.Add(fn.Invoke(T0.AddMinutes(-50).AddMinutes(i * 5), 200));
        await server.SendAsync(invocations);

        var (status, created) = await server.PostAsync("/api/deployments", new { function = "lunchbot", version = "build-42", time = T0.AddMinutes(-25).ToString("O") });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("recorded", created.GetProperty("source").GetString());
        Assert.Equal("no change after build-42", created.GetProperty("verdict").GetString());
        Assert.Equal("build-42", Assert.Single((await server.GetAsync("/api/deployments?function=lunchbot")).EnumerateArray()).GetProperty("version").GetString());

        var (bad, error) = await server.PostAsync("/api/deployments", new { function = "", time = "later" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("function is required. version is required. time must be Unix nanoseconds or an ISO 8601 time (got 'later').",
            error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Going_back_to_an_earlier_version_is_a_rollback_but_a_mixed_rollout_is_not()
    {
        await using var server = await AnalysisServer.StartAsync();
        var invocations = new List<Inv>();
        for (var i = 0; i < 10; i++)
            invocations.Add(new Fn("checkout", "v1").Invoke(T0.AddMinutes(-50).AddMinutes(i), 100));
        // The rollout of v2: old and new containers answer side by side for a while; v1 showing up again is no rollback.
        for (var i = 0; i < 6; i++)
            invocations.Add(new Fn("checkout", i % 2 == 0 ? "v2" : "v1").Invoke(T0.AddMinutes(-40).AddSeconds(i * 10), 100));
        for (var i = 0; i < 10; i++)
            invocations.Add(new Fn("checkout", "v2").Invoke(T0.AddMinutes(-35).AddMinutes(i), 100)
                .Throws("InvalidOperationException", $"Cart {i} has no currency"));
        for (var i = 0; i < 10; i++)
            invocations.Add(new Fn("checkout", "v1").Invoke(T0.AddMinutes(-20).AddMinutes(i), 100));
        await server.SendAsync(invocations);
        var issue = Assert.Single((await server.IssuesOfAsync("checkout")).EnumerateArray()).GetProperty("id").GetString();

        var deployments = (await server.GetAsync("/api/deployments?function=checkout")).EnumerateArray().ToList();

        Assert.Equal(2, deployments.Count);
        Assert.Equal(("v2", "v1", false), (deployments[0].GetProperty("version").GetString(), deployments[0].GetProperty("previousVersion").GetString(),
            deployments[0].GetProperty("rollback").GetBoolean()));
        Assert.Equal(T0.AddMinutes(-40), deployments[0].GetProperty("time").GetDateTimeOffset());
        Assert.Equal(("v1", "v2", true), (deployments[1].GetProperty("version").GetString(), deployments[1].GetProperty("previousVersion").GetString(),
            deployments[1].GetProperty("rollback").GetBoolean()));
        Assert.Equal(T0.AddMinutes(-20), deployments[1].GetProperty("time").GetDateTimeOffset());
        Assert.StartsWith($"rollback to v1 from v2: errors 20/h → 0/h after v1: fixed issue #{issue}", deployments[1].GetProperty("verdict").GetString());
    }
}
