using System.Text.Json;
using Threadline.Tracer.Scrubbing;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

public sealed class ScrubbingTests
{
    private static readonly Scrubber Defaults = new(new ScrubRules(true, [], []));

    /// <summary>One key per default pattern, in the spellings users actually write.</summary>
    public static TheoryData<string> SensitiveKeys =>
    [
        "password", "db_pass", "clientSecret", "apiKey", "x-api-key", "accessToken", "AWS_CREDENTIALS", "passphrase",
        "Authorization", "X-Amz-Signature", "sessionToken", "session_token", "Cookie", "SECRET", "Token",
    ];

    [Theory]
    [MemberData(nameof(SensitiveKeys))]
    public void Json_bodies_mask_every_default_key_at_any_depth(string key)
    {
        var json = $$"""{"{{key}}":"v1","user":{"{{key}}":{"nested":"v2"},"name":"Ada"},"list":[{"{{key}}":3}]}""";

        var scrubbed = Defaults.ScrubText(json);

        Assert.Equal($$"""{"{{key}}":"[scrubbed]","user":{"{{key}}":"[scrubbed]","name":"Ada"},"list":[{"{{key}}":"[scrubbed]"}]}""", scrubbed);
    }

    [Theory]
    [MemberData(nameof(SensitiveKeys))]
    public void Json_held_in_a_string_is_scrubbed_too(string key)
    {
        var inner = JsonSerializer.Serialize($$"""{"{{key}}":"v","keep":1}""");
        var json = $$"""{"body":{{inner}}}""";

        var scrubbed = JsonDocument.Parse(Defaults.ScrubText(json)).RootElement.GetProperty("body").GetString();

        Assert.Equal($$"""{"{{key}}":"[scrubbed]","keep":1}""", scrubbed);
    }

    [Theory]
    [MemberData(nameof(SensitiveKeys))]
    public void Header_values_are_masked(string key)
    {
        Assert.Equal(ScrubRules.Mask, Defaults.ScrubHeaderValue(key, "value"));
        Assert.Equal("application/json", Defaults.ScrubHeaderValue("Content-Type", "application/json"));
    }

    [Theory]
    [MemberData(nameof(SensitiveKeys))]
    public void Query_strings_and_urls_mask_values(string key)
    {
        Assert.Equal($"page=2&{key}=[scrubbed]&q=shoes", Defaults.ScrubQuery($"page=2&{key}=abc%20d&q=shoes"));
        Assert.Equal($"https://api.example.com/v1?{key}=[scrubbed]", Defaults.ScrubQuery($"https://api.example.com/v1?{key}=abc"));
    }

    [Theory]
    [MemberData(nameof(SensitiveKeys))]
    public void Environment_variables_are_masked(string key)
    {
        var env = new Dictionary<string, string> { [key.ToUpperInvariant()] = "value", ["AWS_REGION"] = "eu-west-1" };

        var scrubbed = JsonDocument.Parse(Defaults.ScrubEnvironment(env)).RootElement;

        Assert.Equal(ScrubRules.Mask, scrubbed.GetProperty(key.ToUpperInvariant()).GetString());
        Assert.Equal("eu-west-1", scrubbed.GetProperty("AWS_REGION").GetString());
    }

    [Fact]
    public void Form_encoded_payloads_are_scrubbed_as_queries()
    {
        Assert.Equal("Action=Publish&Message=hi&Token=[scrubbed]", Defaults.ScrubText("Action=Publish&Message=hi&Token=t-1"));
    }

    [Fact]
    public void Custom_regexes_and_exact_paths_apply_without_the_defaults()
    {
        var scrubber = new Scrubber(new ScrubRules(false, ["^e-?mail$"], ["$.customer.name", "$.Records[*].body", "$.items[1]"]));
        var json = """{"password":"kept","customer":{"name":"Ada","Email":"a@example.com"},"Records":[{"body":"b1","id":1},{"body":"b2"}],"items":["a","b","c"]}""";

        var scrubbed = scrubber.ScrubText(json);

        Assert.Equal("""{"password":"kept","customer":{"name":"[scrubbed]","Email":"[scrubbed]"},"Records":[{"body":"[scrubbed]","id":1},{"body":"[scrubbed]"}],"items":["a","[scrubbed]","c"]}""", scrubbed);
    }

    [Fact]
    public void A_key_whose_check_runs_out_of_time_is_masked_instead_of_failing_the_scrub()
    {
        // Catastrophic backtracking: far beyond the 50 ms a key check may take.
        var scrubber = new Scrubber(new ScrubRules(false, ["^(a+)+$"], []));
        var slowKey = new string('a', 40) + "!";

        var scrubbed = scrubber.ScrubText($$"""{"{{slowKey}}":"value","plain":"kept"}""");

        Assert.Equal($$"""{"{{slowKey}}":"[scrubbed]","plain":"kept"}""", scrubbed);
    }

    [Fact]
    public void Plain_text_is_left_alone()
    {
        Assert.Equal("hello world", Defaults.ScrubText("hello world"));
        Assert.Equal("aGVsbG8=", Defaults.ScrubText("aGVsbG8="));
    }

    [Fact]
    public void Environment_options_read_every_threadline_variable()
    {
        var env = new Dictionary<string, string>
        {
            ["THREADLINE_ENABLED"] = "false",
            ["THREADLINE_ENDPOINT"] = "http://collector:4318",
            ["THREADLINE_TOKEN"] = "tok",
            ["THREADLINE_FUNCTION_NAME"] = "fn",
            ["THREADLINE_FLUSH_BUDGET_MS"] = "150",
            ["THREADLINE_MAX_FIELD_BYTES"] = "1000",
            ["THREADLINE_INJECT_TRACEPARENT"] = "0",
            ["THREADLINE_SCRUB_DEFAULTS"] = "off",
            ["THREADLINE_SCRUB_KEYS"] = "^ssn$; iban",
            ["THREADLINE_SCRUB_PATHS"] = "$.a.b",
        };

        var options = Configuration.EnvironmentOptions.Read(name => env.GetValueOrDefault(name));

        Assert.False(options.Enabled);
        Assert.Equal(new Uri("http://collector:4318"), options.Endpoint);
        Assert.Equal("tok", options.Token);
        Assert.Equal("fn", options.FunctionName);
        Assert.Equal(TimeSpan.FromMilliseconds(150), options.FlushBudget);
        Assert.Equal(1000, options.MaxFieldBytes);
        Assert.False(options.InjectTraceContext);
        Assert.False(options.ScrubDefaults);
        Assert.Equal(["^ssn$", "iban"], options.ScrubKeyPatterns);
        Assert.Equal(["$.a.b"], options.ScrubPaths);
    }

    [Fact]
    public async Task The_recorded_event_hides_secrets_in_headers_query_cookies_and_body()
    {
        using var harness = TracerHarness.Create();

        await harness.Tracer.InvokeAsync(Samples.Read("apigateway-http"), new FakeLambdaContext(), (_, _) => Task.FromResult(0));
        await harness.Tracer.InvokeAsync(Samples.Read("apigateway-rest"), new FakeLambdaContext(), (_, _) => Task.FromResult(0));

        var events = harness.Spans.Items.Select(s => s.Str("threadline.event")!).ToList();
        Assert.DoesNotContain("hunter2", events[0]);
        Assert.DoesNotContain("abc123", events[0]);
        Assert.DoesNotContain("s3cr3t", events[0]);
        Assert.Contains("A-1", events[0]);
        Assert.Contains("dryRun=true&token=[scrubbed]", events[0]);
        Assert.DoesNotContain("eyJhbGciOiJIUzI1NiJ9", events[1]);
        Assert.DoesNotContain("k-123", events[1]);
        Assert.Equal("GET /orders/{id}", harness.Spans.Items[1].Str("threadline.trigger.resource"));
    }

    [Fact]
    public async Task The_environment_is_recorded_scrubbed_on_cold_start_only()
    {
        Environment.SetEnvironmentVariable("THREADLINE_TEST_DB_PASSWORD", "pw-42");
        try
        {
            using var harness = TracerHarness.Create();
            await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(0));
            await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(0));

            var environment = JsonDocument.Parse(harness.Spans.Items[0].Str("threadline.environment")!).RootElement;
            Assert.Equal(ScrubRules.Mask, environment.GetProperty("THREADLINE_TEST_DB_PASSWORD").GetString());
            Assert.Null(harness.Spans.Items[1].Str("threadline.environment"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("THREADLINE_TEST_DB_PASSWORD", null);
        }
    }
}
