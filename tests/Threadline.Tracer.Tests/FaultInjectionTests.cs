using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Export;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>
/// A broken Threadline endpoint or a failing tracer never changes the handler's result or exception, and adds at
/// most the flush budget. Time bounds are generous on purpose: they catch an unbounded wait (the exporter's own
/// timeout, a hung connection), not jitter.
/// </summary>
public sealed class FaultInjectionTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(1500);

    public enum Endpoint
    {
        Down,
        Answers500,
        Hangs,
    }

    [Theory]
    [InlineData(Endpoint.Down)]
    [InlineData(Endpoint.Answers500)]
    [InlineData(Endpoint.Hangs)]
    public async Task Unhealthy_endpoint_leaves_the_result_unchanged_within_the_flush_budget(Endpoint kind)
    {
        await using var server = kind == Endpoint.Down ? null : await LocalServer.StartAsync((_, context) => kind == Endpoint.Hangs
            ? Task.Delay(Timeout.Infinite, context.RequestAborted)
            : WriteStatusAsync(context, 500));
        var url = server?.Url ?? await ClosedPort.FindAsync();
        using var tracer = ThreadlineTracer.Create(new ThreadlineOptions { Endpoint = url, FlushBudget = Budget });

        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await tracer.InvokeAsync(Samples.Read("sqs-batch"), new FakeLambdaContext(), (_, _) => Task.FromResult(i));
            watch.Stop();

            Assert.Equal(i, result);
            Assert.True(watch.Elapsed < Budget + Margin, $"invocation {i} took {watch.Elapsed}");
        }
        if (server is not null)
            await server.WaitForRequestAsync(r => r.PathAndQuery == "/v1/traces");
    }

    [Fact]
    public async Task Hanging_endpoint_does_not_stall_a_synchronous_handler_or_its_exception()
    {
        await using var server = await LocalServer.StartAsync((_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var tracer = ThreadlineTracer.Create(new ThreadlineOptions { Endpoint = server.Url, FlushBudget = Budget });
        var error = new FormatException("bad input");

        var watch = Stopwatch.StartNew();
        var thrown = Assert.Throws<FormatException>(() => tracer.Invoke<string, FakeLambdaContext, int>("{}", new FakeLambdaContext(), (_, _) => throw error));
        watch.Stop();

        Assert.Same(error, thrown);
        Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
        await server.WaitForRequestAsync(r => r.PathAndQuery == "/v1/traces");
    }

    [Fact]
    public async Task Every_tracer_hook_throwing_leaves_the_function_working()
    {
        await using var aws = await FakeAws.StartAsync();
        await using var api = await LocalServer.StartAsync((_, context) => WriteStatusAsync(context, 200));
        using var harness = TracerHarness.Create(o => o.FlushBudget = Budget);
        using var sqs = aws.Sqs();
        using var client = new HttpClient();
        using var logs = LoggerFactory.Create(b => b.AddThreadline());
        var faultsBefore = Guard.Faults;
        Guard.FaultHook = point => throw new InvalidOperationException("injected fault at " + point);
        try
        {
            var watch = Stopwatch.StartNew();
            var result = await harness.Tracer.InvokeAsync(Samples.Read("sqs-batch"), new FakeLambdaContext(), async (_, _) =>
            {
                var sent = await sqs.SendMessageAsync(aws.QueueUrl("orders"), "hello");
                var status = (await client.GetAsync(api.Url)).StatusCode;
                Console.WriteLine("still logging");
                logs.CreateLogger("Orders").LogInformation("still logging");
                return $"{sent.MessageId}/{(int)status}";
            });
            watch.Stop();
            var error = new ArgumentException("rejected");
            var thrown = await Assert.ThrowsAsync<ArgumentException>(() =>
                harness.Tracer.InvokeAsync<string, FakeLambdaContext, int>("{}", new FakeLambdaContext(), (_, _) => throw error));

            Assert.Equal($"{aws.MessageIds.Single()}/200", result);
            Assert.Same(error, thrown);
            Assert.True(Guard.Faults > faultsBefore);
            Assert.True(watch.Elapsed < Budget + Margin, $"took {watch.Elapsed}");
        }
        finally
        {
            Guard.FaultHook = null;
        }
    }

    [Theory]
    [InlineData("finish")]
    [InlineData("result")]
    [InlineData("aws.success")]
    [InlineData("http.response")]
    [InlineData("flush.traces")]
    public async Task A_fault_in_one_hook_only_loses_that_part(string point)
    {
        await using var aws = await FakeAws.StartAsync();
        await using var api = await LocalServer.StartAsync((_, context) => WriteStatusAsync(context, 204));
        using var harness = TracerHarness.Create();
        using var sqs = aws.Sqs();
        using var client = new HttpClient();
        Guard.FaultHook = p =>
        {
            if (p == point)
                throw new InvalidOperationException("injected");
        };
        try
        {
            var result = await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) =>
            {
                await sqs.SendMessageAsync(aws.QueueUrl("orders"), "hello");
                return (int)(await client.GetAsync(api.Url)).StatusCode;
            });

            Assert.Equal(204, result);
        }
        finally
        {
            Guard.FaultHook = null;
        }
    }

    [Fact]
    public async Task An_exporter_that_throws_does_not_reach_the_function()
    {
        var targets = new ExportTargets { Traces = _ => new ThrowingExporter<Activity>(), Logs = _ => new ThrowingExporter<OpenTelemetry.Logs.LogRecord>() };
        using var tracer = new ThreadlineTracer(new ThreadlineOptions { FlushBudget = Budget }, targets, _ => null);

        var result = await tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) =>
        {
            Console.WriteLine("a line to export");
            return Task.FromResult("ok");
        });

        Assert.Equal("ok", result);
    }

    private static async Task WriteStatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        await context.Response.CompleteAsync();
    }

    private sealed class ThrowingExporter<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch) => throw new InvalidOperationException("exporter broke");
    }
}
