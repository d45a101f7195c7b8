namespace Threadline.Analysis.Tests;

/// <summary>When retention deletes old spans, the stitcher and the analysis forget them as well.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;

    [Fact]
    public async Task Deleted_invocations_leave_the_transactions_issues_and_functions()
    {
        // Retention counts on the real clock; keep what started after T0 - 90 minutes.
        await using var server = await AnalysisServer.StartAsync(retention: DateTimeOffset.UtcNow - T0 + TimeSpan.FromMinutes(90));
        var old = new Fn("billing").Invoke(T0.AddHours(-3), 20).Throws("KeyNotFoundException", "No plan for tenant 7");
        var recent = new Fn("notify").Invoke(T0.AddMinutes(-1), 20).Throws("TwilioException", "Invalid number +15550001");
        await server.SendAsync(old, recent);

        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (TransactionIds(await server.GetAsync("/api/transactions?limit=100")).Contains(old.Id))
            await poll.WaitForNextTickAsync(deadline.Token);

        Assert.Equal([recent.Id], TransactionIds(await server.GetAsync("/api/transactions?limit=100")));
        Assert.Equal(["notify"], (await server.GetAsync("/api/issues")).EnumerateArray().Select(i => i.GetProperty("function").GetString()));
        Assert.Equal(["notify"], (await server.GetAsync("/api/functions")).EnumerateArray().Select(f => f.GetProperty("function").GetString()));
    }

    private static List<string?> TransactionIds(System.Text.Json.JsonElement list) =>
        [.. list.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("id").GetString())];
}
