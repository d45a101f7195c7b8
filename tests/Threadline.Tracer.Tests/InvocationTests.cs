using System.Diagnostics;
using System.Text;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

public sealed class InvocationTests : IDisposable
{
    private readonly TracerHarness _harness = TracerHarness.Create();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Invocation_span_carries_identity_context_trigger_event_and_response()
    {
        var context = new FakeLambdaContext { AwsRequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd" };

        var result = await _harness.Tracer.InvokeAsync(Samples.Read("sqs-batch"), context, (_, _) => Task.FromResult(new { accepted = 3 }));

        Assert.Equal(3, result.accepted);
        var span = _harness.Invocation;
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("orders-handler", span.Str("faas.name"));
        Assert.Equal("7", span.Str("faas.version"));
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", span.Str("faas.invocation_id"));
        Assert.Equal(context.InvokedFunctionArn, span.Str("cloud.resource_id"));
        Assert.Equal(512L * 1024 * 1024, span.GetTagItem("faas.max_memory"));
        Assert.Equal(true, span.GetTagItem("faas.coldstart"));
        Assert.Equal("pubsub", span.Str("faas.trigger"));
        Assert.Equal("sqs", span.Str("threadline.trigger.kind"));
        Assert.Equal("orders-queue", span.Str("threadline.trigger.resource"));
        Assert.Equal(5, span.Strings("threadline.trigger.keys").Length);
        Assert.Equal(true, span.GetTagItem("threadline.trigger.retry"));
        Assert.Equal(30_000L, span.GetTagItem("faas.timeout_remaining_ms"));
        Assert.Equal(3, span.Links.Count());
        Assert.Contains("orders-queue", span.Str("threadline.event"));
        Assert.Equal("""{"accepted":3}""", span.Str("threadline.response"));
        Assert.Equal(default, span.ParentSpanId);
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task Only_the_first_invocation_is_a_cold_start()
    {
        for (var i = 0; i < 3; i++)
            await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(i));

        Assert.Equal([true, false, false], _harness.Spans.Items.Select(a => (bool)a.GetTagItem("faas.coldstart")!).ToArray());
    }

    [Fact]
    public async Task Several_functions_in_one_process_keep_their_own_identity_spans_and_cold_start()
    {
        using var billing = TracerHarness.Create(o => o.FunctionName = "billing");
        using var shipping = TracerHarness.Create(o => (o.FunctionName, o.FunctionVersion) = ("shipping", "3"));

        await billing.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(1));
        await shipping.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(2));
        await billing.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(3));

        Assert.Equal(["billing", "billing"], billing.Spans.Items.Select(a => a.Str("faas.name")!).ToArray());
        Assert.Equal([true, false], billing.Spans.Items.Select(a => (bool)a.GetTagItem("faas.coldstart")!).ToArray());
        var shipped = Assert.Single(shipping.Spans.Items);
        Assert.Equal(("shipping", "3", true), (shipped.Str("faas.name"), shipped.Str("faas.version"), (bool)shipped.GetTagItem("faas.coldstart")!));
    }

    [Fact]
    public async Task Identity_falls_back_to_the_lambda_environment_without_a_context()
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "from-env",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["AWS_REGION"] = "ap-south-1",
        };
        using var harness = TracerHarness.Create(env: env);

        await harness.Tracer.InvokeAsync("{}", (object?)null, (_, _) => Task.FromResult(0));

        var span = Assert.Single(harness.Spans.Items);
        Assert.Equal(("from-env", "$LATEST", 256L * 1024 * 1024, "ap-south-1"),
            (span.Str("faas.name"), span.Str("faas.version"), (long)span.GetTagItem("faas.max_memory")!, span.Str("cloud.region")));
    }

    [Fact]
    public async Task Handler_exception_passes_through_unchanged_and_is_recorded()
    {
        var error = new InvalidOperationException("payment declined");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _harness.Tracer.InvokeAsync<string, FakeLambdaContext, int>("{}", new FakeLambdaContext(), (_, _) => throw error));

        Assert.Same(error, thrown);
        var span = Assert.Single(_harness.Spans.Items);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("payment declined", span.StatusDescription);
        var exception = Assert.Single(span.Events);
        Assert.Equal("exception", exception.Name);
        var tags = exception.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
        Assert.Equal("payment declined", tags["exception.message"]);
        Assert.Contains(nameof(Handler_exception_passes_through_unchanged_and_is_recorded), (string)tags["exception.stacktrace"]!);
    }

    [Fact]
    public void Synchronous_handlers_are_traced_and_restore_the_callers_state()
    {
        var handler = _harness.Tracer.WrapSync((string input, FakeLambdaContext _) => input.Length);
        using var outer = new Activity("outer").Start();

        var result = handler("{\"a\":1}", new FakeLambdaContext());

        Assert.Equal(7, result);
        Assert.Same(outer, Activity.Current);
        Assert.Equal("7", Assert.Single(_harness.Spans.Items).Str("threadline.response"));
    }

    [Fact]
    public async Task Stream_input_is_parsed_and_still_read_whole_by_the_handler()
    {
        var raw = Samples.Read("kinesis-batch");
        using var input = new NonSeekableStream(Encoding.UTF8.GetBytes(raw));

        var seen = await _harness.Tracer.InvokeAsync<Stream, FakeLambdaContext, string>(input, new FakeLambdaContext(), async (stream, _) =>
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        });

        Assert.Equal(raw, seen);
        Assert.Equal("kinesis", _harness.Invocation.Str("threadline.trigger.kind"));
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task Stream_response_is_recorded_and_returned_readable_from_the_start()
    {
        var response = await _harness.Tracer.InvokeAsync<string, FakeLambdaContext, Stream>("{}", new FakeLambdaContext(), (_, _) =>
            Task.FromResult<Stream>(new MemoryStream("""{"statusCode":200}"""u8.ToArray())));

        Assert.Equal("""{"statusCode":200}""", new StreamReader(response).ReadToEnd());
        Assert.Equal("""{"statusCode":200}""", _harness.Invocation.Str("threadline.response"));
    }

    [Fact]
    public async Task Payloads_over_the_field_limit_are_cut_and_marked_and_errors_get_more_room()
    {
        using var harness = TracerHarness.Create(o => (o.MaxFieldBytes, o.ErrorSizeFactor, o.CaptureEnvironment) = (64, 4, false));
        var big = new string('x', 1000);

        await harness.Tracer.InvokeAsync(big, new FakeLambdaContext(), (_, _) => Task.FromResult(0));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            harness.Tracer.InvokeAsync<string, FakeLambdaContext, int>(big, new FakeLambdaContext(), (_, _) => throw new InvalidOperationException()));

        var (ok, failed) = (harness.Spans.Items[0], harness.Spans.Items[1]);
        Assert.EndsWith("…[truncated]", ok.Str("threadline.event"));
        Assert.Equal(64, Encoding.UTF8.GetByteCount(ok.Str("threadline.event")!.Replace("…[truncated]", "")));
        Assert.Equal(["threadline.event"], ok.Strings("threadline.truncated"));
        Assert.Equal(256, Encoding.UTF8.GetByteCount(failed.Str("threadline.event")!.Replace("…[truncated]", "")));
    }

    [Fact]
    public async Task Invocation_budget_caps_the_total_recorded_payload()
    {
        using var harness = TracerHarness.Create(o => (o.MaxFieldBytes, o.MaxInvocationBytes, o.CaptureEnvironment) = (100, 150, false));

        await harness.Tracer.InvokeAsync(new string('e', 120), new FakeLambdaContext(), (_, _) => Task.FromResult(new string('r', 120)));

        var span = Assert.Single(harness.Spans.Items);
        var recorded = span.Str("threadline.event")!.Replace("…[truncated]", "") + span.Str("threadline.response")!.Replace("…[truncated]", "");
        Assert.Equal(150, recorded.Length);
        Assert.Equal(["threadline.event", "threadline.response"], span.Strings("threadline.truncated"));
    }

    [Fact]
    public async Task Kill_switch_runs_the_handler_alone()
    {
        using var harness = TracerHarness.Create(o => o.Enabled = false);

        var result = await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Empty(harness.Spans.Items);
    }

    [Fact]
    public async Task Invocation_reports_before_the_lambda_deadline_when_the_handler_overruns()
    {
        using var harness = TracerHarness.Create(o => (o.FlushBudget, o.DeadlineMargin) = (TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50)));
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var invocation = harness.Tracer.InvokeAsync("{}", new FakeLambdaContext { RemainingTime = TimeSpan.FromMilliseconds(700) }, (_, _) => release.Task);
        var reported = await harness.Spans.WaitForAsync(a => a.GetTagItem("faas.invocation_id") is not null);

        Assert.False(invocation.IsCompleted);
        Assert.Equal(true, reported.GetTagItem("threadline.timeout"));
        Assert.Equal(ActivityStatusCode.Error, reported.Status);
        release.SetResult(5);
        Assert.Equal(5, await invocation);
        Assert.Single(harness.Spans.Items);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
