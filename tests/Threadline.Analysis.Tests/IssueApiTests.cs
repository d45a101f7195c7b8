using System.Net;
using System.Text.Json;

namespace Threadline.Analysis.Tests;

/// <summary>Issues through a real server fed OTLP: grouping, failure kinds, states, filters and errors.</summary>
public sealed class IssueApiTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_fault_with_other_ids_numbers_and_lines_is_one_issue_and_other_faults_are_others()
    {
        await using var server = await AnalysisServer.StartAsync();
        var fn = new Fn("orders");
        await server.SendAsync(
            fn.Invoke(T0.AddMinutes(-9), 50).Throws("KeyNotFoundException", "Order 1234 not found in table 'orders-prod'", PaymentsScenario.Stack(10)),
            fn.Invoke(T0.AddMinutes(-8), 50).Throws("KeyNotFoundException", "Order 98 not found in table 'orders-dev'", PaymentsScenario.Stack(77)),
            fn.Invoke(T0.AddMinutes(-7), 50).Throws("KeyNotFoundException", "Order 5551212 not found in table 'x'", PaymentsScenario.Stack(3)),
            fn.Invoke(T0.AddMinutes(-6), 50).Throws("InvalidOperationException", "Order 1234 not found in table 'orders-prod'", PaymentsScenario.Stack(10)),
            fn.Invoke(T0.AddMinutes(-5), 50).Throws("KeyNotFoundException", "Customer 1234 is blocked", PaymentsScenario.Stack(10)),
            new Fn("billing").Invoke(T0.AddMinutes(-4), 50).Throws("KeyNotFoundException", "Order 5 not found in table 'y'", PaymentsScenario.Stack(10)),
            fn.Invoke(T0.AddMinutes(-3), 50));

        var issues = (await server.IssuesOfAsync("orders")).EnumerateArray().ToList();

        Assert.Equal(3, issues.Count);
        var grouped = Assert.Single(issues, i => i.GetProperty("count").GetInt32() == 3);
        Assert.Equal("KeyNotFoundException", grouped.GetProperty("errorType").GetString());
        Assert.Equal("orders | KeyNotFoundException | Order <n> not found in table <str> | Demo.Functions.SendEmail.DeliverAsync",
            grouped.GetProperty("fingerprint").GetString());
        Assert.Equal("Order 1234 not found in table 'orders-prod'", grouped.GetProperty("message").GetString());
        Assert.Equal(T0.AddMinutes(-9), grouped.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(-7), grouped.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.All(issues, i => Assert.Equal("new", i.GetProperty("state").GetString()));
        Assert.Single((await server.IssuesOfAsync("billing")).EnumerateArray());
    }

    [Fact]
    public async Task Timeouts_out_of_memory_failed_calls_and_cold_start_failures_are_issues_of_their_kind()
    {
        await using var server = await AnalysisServer.StartAsync();
        var fn = new Fn("checkout");
        var timeout = fn.Invoke(T0.AddMinutes(-5), 3000).TimesOut();
        var oom = fn.Invoke(T0.AddMinutes(-4), 900).Throws("System.OutOfMemoryException", "Insufficient memory to continue the execution of the program.");
        var call = fn.Invoke(T0.AddMinutes(-3), 120)
            .Calls("POST", "https://api.stripe.example/v1/charges/ch_1234", 502)
            .Throws("System.Net.Http.HttpRequestException", "Response status code does not indicate success: 502 (Bad Gateway).", PaymentsScenario.Stack(5));
        var call2 = fn.Invoke(T0.AddMinutes(-2), 130)
            .Calls("POST", "https://api.stripe.example/v1/charges/ch_98", 502)
            .Throws("System.Net.Http.HttpRequestException", "Response status code does not indicate success: 502 (Bad Gateway).", PaymentsScenario.Stack(6));
        var cold = fn.Invoke(T0.AddMinutes(-1), 40).Cold().Throws("ConfigurationException", "Missing setting STRIPE_KEY");
        await server.SendAsync(timeout, oom, call, call2, cold);

        var issues = (await server.IssuesOfAsync("checkout")).EnumerateArray().ToList();
        Assert.Equal(4, issues.Count);
        async Task<JsonElement> DetailOf(string errorType) =>
            await server.GetAsync($"/api/issues/{issues.Single(i => i.GetProperty("errorType").GetString() == errorType).GetProperty("id").GetString()}");

        var t = await DetailOf("Timeout");
        Assert.Equal("timeout", t.GetProperty("kind").GetString());
        Assert.Equal("outOfMemory", (await DetailOf("OutOfMemory")).GetProperty("kind").GetString());
        var http = await DetailOf("HTTP 502");
        Assert.Equal("outgoingCall", http.GetProperty("kind").GetString());
        Assert.Equal(2, http.GetProperty("count").GetInt32());
        Assert.Equal("POST api.stripe.example/v1/charges/ch_1234 answered 502", http.GetProperty("message").GetString());
        var c = await DetailOf("ConfigurationException");
        Assert.True(c.GetProperty("coldStartRelated").GetBoolean());
        Assert.Equal(1, c.GetProperty("coldStarts").GetInt32());
        Assert.False(http.GetProperty("coldStartRelated").GetBoolean());
    }

    [Fact]
    public async Task A_failed_call_the_function_handled_and_went_on_from_is_not_the_cause()
    {
        await using var server = await AnalysisServer.StartAsync();
        await server.SendAsync(new Fn("profile").Invoke(T0.AddMinutes(-1), 50)
            .Calls("GET", "https://cache.example/users/42", 404, 1, 3)
            .Calls("GET", "https://db.example/users/42", 200, 4, 9)
            .Throws("JsonException", "Unexpected token at position 17"));

        var issue = Assert.Single((await server.IssuesOfAsync("profile")).EnumerateArray());
        Assert.Equal("JsonException", issue.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_issue_is_new_then_ongoing_resolved_regressed_when_it_happens_again_and_resolved_again()
    {
        await using var server = await AnalysisServer.StartAsync();
        var fn = new Fn("notify");
        await server.SendAsync(fn.Invoke(T0.AddMinutes(-1), 20).Throws("TwilioException", "Invalid number +15550001"));
        var id = (await server.IssuesOfAsync("notify"))[0].GetProperty("id").GetString()!;
        async Task<string?> StateAsync() => (await server.GetAsync($"/api/issues/{id}")).GetProperty("state").GetString();

        Assert.Equal("new", await StateAsync());
        server.Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal("ongoing", await StateAsync());

        var (status, resolved) = await server.PostAsync($"/api/issues/{id}/resolve");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(server.Time.GetUtcNow(), resolved.GetProperty("resolvedAt").GetDateTimeOffset());

        // An occurrence from before the resolution that arrives late does not regress it.
        await server.SendAsync(fn.Invoke(server.Time.GetUtcNow().AddMinutes(-30), 20).Throws("TwilioException", "Invalid number +15550002"));
        Assert.Equal("resolved", await StateAsync());

        server.Time.Advance(TimeSpan.FromMinutes(10));
        var again = server.Time.GetUtcNow().AddMinutes(-1);
        await server.SendAsync(fn.Invoke(again, 20).Throws("TwilioException", "Invalid number +15550003"));
        var regressed = await server.GetAsync($"/api/issues/{id}");
        Assert.Equal("regressed", regressed.GetProperty("state").GetString());
        Assert.Equal(again, regressed.GetProperty("regressedAt").GetDateTimeOffset());
        Assert.Equal(3, regressed.GetProperty("count").GetInt32());
        Assert.Equal(id, Assert.Single((await server.GetAsync("/api/issues?state=regressed")).EnumerateArray()).GetProperty("id").GetString());

        server.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("resolved", (await server.PostAsync($"/api/issues/{id}/resolve")).Body.GetProperty("state").GetString());
        Assert.Empty((await server.GetAsync("/api/issues?state=regressed")).EnumerateArray());
    }

    [Fact]
    public async Task Filters_by_function_state_and_time_range()
    {
        await using var server = await AnalysisServer.StartAsync();
        await server.SendAsync(
            new Fn("a").Invoke(T0.AddHours(-3), 20).Throws("E1", "early"),
            new Fn("b").Invoke(T0.AddHours(-1), 20).Throws("E2", "late"));

        Assert.Equal(["E1"], (await server.GetAsync("/api/issues?function=a")).EnumerateArray().Select(i => i.GetProperty("errorType").GetString()));
        var to = Uri.EscapeDataString(T0.AddHours(-2).ToString("O"));
        Assert.Equal(["E1"], (await server.GetAsync($"/api/issues?to={to}")).EnumerateArray().Select(i => i.GetProperty("errorType").GetString()));
        var from = (T0.AddHours(-2).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal(["E2"], (await server.GetAsync($"/api/issues?from={from}")).EnumerateArray().Select(i => i.GetProperty("errorType").GetString()));
        Assert.Equal(2, (await server.GetAsync("/api/issues?state=new")).GetArrayLength());
        Assert.Equal(0, (await server.GetAsync("/api/issues?state=resolved")).GetArrayLength());
    }

    [Theory]
    [InlineData("/api/issues?state=broken", "state must be new, ongoing, regressed or resolved")]
    [InlineData("/api/issues?from=yesterday", "from must be Unix nanoseconds or an ISO 8601 time")]
    [InlineData("/api/issues/not-an-id", "is not an issue id")]
    [InlineData("/api/functions?to=soon", "to must be Unix nanoseconds")]
    public async Task Bad_parameters_are_400_with_the_reason(string path, string reason)
    {
        await using var server = await AnalysisServer.StartAsync();
        using var response = await server.Api.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        await using var server = await AnalysisServer.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync("/api/issues/0123456789ab", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostAsync("/api/issues/0123456789ab/resolve")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync("/api/functions/nope/impact", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync($"/api/cost/transactions/{new string('1', 32)}-{new string('2', 16)}", Ct)).StatusCode);
    }
}
