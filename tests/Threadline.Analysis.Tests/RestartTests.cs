using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Tests;

/// <summary>State is rebuilt from the store at start; resolutions and recorded deployments survive in the data folder.</summary>
public sealed class RestartTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;

    [Fact]
    public async Task Issues_impact_and_costs_are_rebuilt_and_a_resolution_and_a_recorded_deployment_are_kept()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        static AnalysisOptions Options(ManualTime time) => new()
        {
            Time = time,
            EvaluationInterval = null,
            UserRule = new ValueRule { Source = ValueSource.Header, Name = "X-User-Id" },
            VipUsers = [PaymentsScenario.Vip],
        };
        string issue;
        string before;
        string functionsBefore;
        var first = await AnalysisServer.StartAsync(Options, data);
        try
        {
            await first.SendAsync(PaymentsScenario.Build(T0));
            issue = (await first.IssuesOfAsync("send-email"))[0].GetProperty("id").GetString()!;
            await first.PostAsync($"/api/issues/{issue}/resolve");
            await first.PostAsync("/api/deployments", new { function = "send-email", version = "v9", time = T0.AddMinutes(-10).ToString("O") });
            before = (await first.GetAsync($"/api/issues/{issue}")).ToString();
            functionsBefore = (await first.GetAsync("/api/functions")).ToString();
        }
        finally
        {
            await first.Server.DisposeAsync();
        }

        await using var second = await AnalysisServer.StartAsync(Options, data);
        Assert.Equal(before, (await second.GetAsync($"/api/issues/{issue}")).ToString());
        Assert.Equal(functionsBefore, (await second.GetAsync("/api/functions")).ToString());
        Assert.Contains("\"state\":\"resolved\"", before, StringComparison.Ordinal);
        var deployment = Assert.Single((await second.GetAsync("/api/deployments")).EnumerateArray());
        Assert.Equal(("v9", "recorded"), (deployment.GetProperty("version").GetString(), deployment.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task The_background_loop_evaluates_the_rules_when_the_interval_has_passed_on_the_clock()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        var rules = Path.Combine(Path.GetTempPath(), $"threadline-alerts-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(rules, $$"""
            { "channels": [ { "name": "hook", "type": "webhook", "url": "{{receiver.BaseAddress}}hook" } ],
              "rules": [ { "name": "new issues", "type": "newIssue", "channels": ["hook"] } ] }
            """, TestContext.Current.CancellationToken);
        try
        {
            await using var server = await AnalysisServer.StartAsync(time => new AnalysisOptions
            {
                Time = time,
                EvaluationInterval = TimeSpan.FromMinutes(1),
                AlertRulesPath = rules,
            });
            await server.SendAsync(new Fn("notify").Invoke(T0.AddSeconds(-5), 20).Throws("TwilioException", "Invalid number +15550001"));
            Assert.Empty(receiver.Received);

            server.Time.Advance(TimeSpan.FromMinutes(1));
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            while (receiver.Received.IsEmpty)
                await poll.WaitForNextTickAsync(deadline.Token);

            var notification = Assert.Single((await server.GetAsync("/api/alerts/notifications")).EnumerateArray());
            Assert.StartsWith("New issue #", notification.GetProperty("text").GetString());
            Assert.Single(receiver.BodiesAt("/hook"));
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task After_a_restart_an_alert_already_sent_is_not_repeated_and_one_that_became_due_meanwhile_is_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        await using var receiver = await HttpReceiver.StartAsync();
        var rules = Path.Combine(Path.GetTempPath(), $"threadline-alerts-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(rules, $$"""
            { "channels": [ { "name": "hook", "type": "webhook", "url": "{{receiver.BaseAddress}}hook" } ],
              "rules": [ { "name": "new issues", "type": "newIssue", "channels": ["hook"] } ] }
            """, ct);
        AnalysisOptions Options(ManualTime time) => new() { Time = time, EvaluationInterval = null, AlertRulesPath = rules };
        try
        {
            var first = await AnalysisServer.StartAsync(Options, data);
            try
            {
                await first.SendAsync(new Fn("notify").Invoke(T0.AddSeconds(-50), 20).Throws("TwilioException", "Invalid number +15550001"));
                var sent = Assert.Single(await first.Module.EvaluateAlertsAsync(ct));
                Assert.StartsWith("New issue #", sent.Text, StringComparison.Ordinal);
                // A second fault arrives, and the server stops before its next evaluation.
                await first.SendAsync(new Fn("billing").Invoke(T0.AddSeconds(-40), 20).Throws("KeyNotFoundException", "No plan for tenant 7"));
            }
            finally
            {
                await first.Server.DisposeAsync();
            }

            await using var second = await AnalysisServer.StartAsync(Options, data);
            var afterRestart = Assert.Single(await second.Module.EvaluateAlertsAsync(ct));
            Assert.Equal("billing", afterRestart.Function);
            Assert.Empty(await second.Module.EvaluateAlertsAsync(ct));
            Assert.Equal(2, receiver.BodiesAt("/hook").Count);
            var history = (await second.GetAsync("/api/alerts/notifications")).EnumerateArray().Select(n => n.GetProperty("function").GetString()).ToList();
            Assert.Equal(["billing", "notify"], history);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task The_alert_ledger_lives_in_the_store_and_a_ledger_file_of_an_older_version_is_imported_once()
    {
        var ct = TestContext.Current.CancellationToken;
        AnalysisOptions Options(ManualTime time) => new() { Time = time, EvaluationInterval = null };
        string ledger;
        await using (var first = await AnalysisServer.StartAsync(Options))
        {
            await first.SendAsync(new Fn("notify").Invoke(T0.AddSeconds(-50), 20).Throws("TwilioException", "Invalid number +15550001"));
            Assert.Single(await first.Module.EvaluateAlertsAsync(ct));
            await first.SendAsync(new Fn("billing").Invoke(T0.AddSeconds(-40), 20).Throws("KeyNotFoundException", "No plan for tenant 7"));
            Assert.Single(await first.Module.EvaluateAlertsAsync(ct));
            var configuration = first.Server.Services.GetRequiredService<Threadline.Storage.Configuration.IAlertConfigurationStore>();
            ledger = (await configuration.GetAsync(Threadline.Storage.Configuration.DocumentKind.Setting, Alerts.AlertLedger.DocumentId, ct))!.Json;
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, Alerts.AlertLedger.LegacyFileName)), "the ledger is kept in the store, not in a file");
        }

        // A data folder of an older version: the same ledger, as the file it was kept in, beside an empty store.
        var old = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(old);
        var file = Path.Combine(old, Alerts.AlertLedger.LegacyFileName);
        await File.WriteAllTextAsync(file, ledger, ct);
        var imported = await AnalysisServer.StartAsync(Options, old);
        try
        {
            Assert.Equal(["billing", "notify"], (await imported.GetAsync("/api/alerts/notifications")).EnumerateArray().Select(n => n.GetProperty("function").GetString()));
            Assert.Empty(await imported.Module.EvaluateAlertsAsync(ct)); // the ledger came with the file: nothing to prime (Restored)
        }
        finally
        {
            await imported.Server.DisposeAsync();
        }
        Assert.False(File.Exists(file));
        Assert.True(File.Exists(file + ".imported"));
        await using var again = await AnalysisServer.StartAsync(Options, old);
        Assert.Equal(2, (await again.GetAsync("/api/alerts/notifications")).GetArrayLength());
    }

    [Fact]
    public async Task A_damaged_alert_ledger_fails_the_start_with_its_path()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(data);
        var ledger = Path.Combine(data, "analysis-alerts.json");
        await File.WriteAllTextAsync(ledger, "{ \"notified\": ", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AnalysisServer.StartAsync(time => new AnalysisOptions { Time = time, EvaluationInterval = null }, data));

        var invalid = Assert.IsType<InvalidDataException>(error);
        Assert.Contains(ledger, invalid.Message, StringComparison.Ordinal);
    }
}
