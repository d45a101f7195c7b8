using Microsoft.Extensions.Logging;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>ILogger entries and Console lines written during an invocation become OTLP logs tied to its span.</summary>
public sealed class LogCaptureTests : IDisposable
{
    private readonly TracerHarness _harness = TracerHarness.Create();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ILogger_entries_carry_the_invocation_trace_and_span()
    {
        using var factory = LoggerFactory.Create(b => b.AddThreadline());
        var logger = factory.CreateLogger("Orders");

        await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) =>
        {
            logger.LogWarning("Order {OrderId} is late", "o-7");
            return Task.FromResult(0);
        });
        logger.LogWarning("outside any invocation");

        var record = Assert.Single(_harness.Logs.Items);
        Assert.Equal("Order o-7 is late", record.FormattedMessage);
        Assert.Equal(LogLevel.Warning, record.LogLevel);
        Assert.Equal("Orders", record.CategoryName);
        Assert.Equal(_harness.Invocation.TraceId, record.TraceId);
        Assert.Equal(_harness.Invocation.SpanId, record.SpanId);
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task Console_lines_are_captured_and_still_written()
    {
        var original = Console.Out;
        using var sink = new StringWriter();
        Console.SetOut(sink);
        try
        {
            using var harness = TracerHarness.Create();
            await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) =>
            {
                Console.WriteLine("charging card {1}");
                Console.Write("partial ");
                Console.Write("line");
                return Task.FromResult(0);
            });
            Console.WriteLine("after the invocation");

            Assert.Equal(["charging card {1}", "partial line"], harness.Logs.Items.Select(l => l.FormattedMessage!).ToArray());
            Assert.All(harness.Logs.Items, l => Assert.Equal(harness.Invocation.SpanId, l.SpanId));
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Contains("charging card {1}", sink.ToString());
        Assert.Contains("after the invocation", sink.ToString());
    }
}
