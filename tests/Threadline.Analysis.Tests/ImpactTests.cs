using System.Text.Json;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Tests;

/// <summary>Business impact and exposure on the seeded payments run (see <see cref="PaymentsScenario"/>).</summary>
public sealed class ImpactTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;

    private static AnalysisOptions Options(ManualTime time) => new()
    {
        Time = time,
        EvaluationInterval = null,
        UserRule = new ValueRule { Source = ValueSource.Header, Name = "x-user-id" },
        VipUsers = [PaymentsScenario.Vip],
    };

    [Fact]
    public async Task The_send_email_issue_hits_four_payments_and_two_lunchbot_runs_three_users_one_of_them_a_vip()
    {
        await using var server = await AnalysisServer.StartAsync(Options);
        await server.SendAsync(PaymentsScenario.Build(T0));

        var issue = Assert.Single((await server.IssuesOfAsync("send-email")).EnumerateArray());
        Assert.Equal(6, issue.GetProperty("count").GetInt32());
        var detail = await server.GetAsync($"/api/issues/{issue.GetProperty("id").GetString()}");

        var impact = detail.GetProperty("impact").EnumerateArray()
            .Select(e => (e.GetProperty("entry").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("failedTransactions").GetInt32())).ToList();
        Assert.Equal([("POST /payments", "apigateway", 4), ("lunchbot", "schedule", 2)], impact);
        Assert.Equal("send-email fails in 4 POST /payments transactions and 2 lunchbot runs; 3 users affected (1 VIP: vip-vera)",
            detail.GetProperty("impactSummary").GetString());
        var exposure = detail.GetProperty("exposure");
        Assert.Equal(3, exposure.GetProperty("users").GetInt32());
        Assert.Equal([PaymentsScenario.Vip], exposure.GetProperty("vipUsers").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(["alice", "bob", PaymentsScenario.Vip], exposure.GetProperty("sampleUsers").EnumerateArray().Select(u => u.GetString()));

        var samples = detail.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(6, samples.Count);
        foreach (var sample in samples)
        {
            var transaction = await server.GetAsync($"/api/transactions/{sample.GetProperty("transactionId").GetString()}");
            Assert.Contains(sample.GetProperty("invocationId").GetString(),
                transaction.GetProperty("invocations").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task A_failing_function_has_the_same_impact_and_users_can_come_from_an_attribute_or_a_json_path()
    {
        await using var server = await AnalysisServer.StartAsync(Options);
        await server.SendAsync(PaymentsScenario.Build(T0));
        var impact = await server.GetAsync("/api/functions/send-email/impact");
        Assert.Equal(6, impact.GetProperty("failedInvocations").GetInt32());
        Assert.Equal(3, impact.GetProperty("exposure").GetProperty("users").GetInt32());

        await using var byPath = await AnalysisServer.StartAsync(time => new AnalysisOptions
        {
            Time = time,
            EvaluationInterval = null,
            UserRule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.headers['X-User-Id']" },
            VipRule = new VipRule { Rule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.headers.X-User-Id" }, Values = ["bob"] },
        });
        await byPath.SendAsync(PaymentsScenario.Build(T0));
        var exposure = (await byPath.GetAsync("/api/functions/send-email/impact")).GetProperty("exposure");
        Assert.Equal(3, exposure.GetProperty("users").GetInt32());
        Assert.Equal(["bob"], exposure.GetProperty("vipUsers").EnumerateArray().Select(u => u.GetString()));

        await using var byAttribute = await AnalysisServer.StartAsync();
        await byAttribute.SendAsync(
            new Fn("api").Invoke(T0.AddMinutes(-2), 10).Http("GET /menu").User("u-1").Throws("E", "x"),
            new Fn("api").Invoke(T0.AddMinutes(-1), 10).Http("GET /menu").User("u-2").Throws("E", "y"));
        var byAttributeExposure = (await byAttribute.GetAsync("/api/functions/api/impact")).GetProperty("exposure");
        Assert.Equal(["u-1", "u-2"], byAttributeExposure.GetProperty("sampleUsers").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Function_statistics_and_cost_per_function_transaction_and_entry()
    {
        await using var server = await AnalysisServer.StartAsync(Options);
        var run = PaymentsScenario.Build(T0);
        await server.SendAsync(run);

        var functions = (await server.GetAsync("/api/functions")).EnumerateArray().ToDictionary(f => f.GetProperty("function").GetString()!);
        var email = functions["send-email"];
        Assert.Equal(9, email.GetProperty("invocations").GetInt32());
        Assert.Equal(6, email.GetProperty("errors").GetInt32());
        Assert.Equal(300.0, email.GetProperty("p95Ms").GetDouble());
        // 256 MB for 300 ms: 0.075 GB-s × 0.0000166667 + 0.0000002 = 0.0000014500025 each.
        Assert.Equal(9 * 0.0000014500025m, email.GetProperty("costUsd").GetDecimal());
        // lunchbot: arm64, 512 MB, 200 ms: 0.1 GB-s × 0.0000133334 + 0.0000002 = 0.00000153334 each.
        Assert.Equal(3 * 0.00000153334m, functions["lunchbot"].GetProperty("costUsd").GetDecimal());
        // payments-api: 1 GB, 1500 ms: 1.5 × 0.0000166667 + 0.0000002 = 0.00002520005 each.
        Assert.Equal(6 * 0.00002520005m, functions["payments-api"].GetProperty("costUsd").GetDecimal());
        Assert.Equal(1500.0, functions["payments-api"].GetProperty("p99Ms").GetDouble());

        var transaction = await server.GetAsync($"/api/cost/transactions/{run[0].Id}");
        Assert.Equal(0.00002520005m + 0.0000014500025m, transaction.GetProperty("costUsd").GetDecimal());

        var entries = (await server.GetAsync("/api/cost")).GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("entry").GetString()!, e => (e.GetProperty("transactions").GetInt32(), e.GetProperty("costUsd").GetDecimal()));
        Assert.Equal((6, 6 * (0.00002520005m + 0.0000014500025m)), entries["POST /payments"]);
        Assert.Equal((3, 3 * (0.00000153334m + 0.0000014500025m)), entries["lunchbot"]);
    }

    [Fact]
    public async Task A_cost_spike_is_flagged_when_the_last_hour_costs_far_more_than_the_day_before()
    {
        await using var server = await AnalysisServer.StartAsync(time => new AnalysisOptions
        {
            Time = time,
            EvaluationInterval = null,
            CostSpikeMinimumUsd = 0.0001m,
        });
        var fn = new Fn("resize", MemoryMb: 10240);
        var invocations = new List<Inv>();
        var steady = new Fn("steady", MemoryMb: 10240);
        for (var hour = 2; hour <= 12; hour++)
        {
            invocations.Add(fn.Invoke(T0.AddHours(-hour), 1000));
            invocations.Add(steady.Invoke(T0.AddHours(-hour), 1000));
        }
        for (var i = 0; i < 10; i++)
            invocations.Add(fn.Invoke(T0.AddMinutes(-30 + i), 1000));
        invocations.Add(steady.Invoke(T0.AddMinutes(-5), 1000));
        await server.SendAsync(invocations);

        var functions = (await server.GetAsync("/api/functions")).EnumerateArray().ToDictionary(f => f.GetProperty("function").GetString()!);
        Assert.True(functions["resize"].GetProperty("costSpike").GetBoolean());
        Assert.False(functions["steady"].GetProperty("costSpike").GetBoolean());
    }
}
