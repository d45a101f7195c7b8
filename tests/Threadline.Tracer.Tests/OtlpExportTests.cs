using System.Text;
using Microsoft.AspNetCore.Http;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>Through the real OpenTelemetry OTLP/HTTP protobuf exporter to a local listener.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_and_logs_reach_the_endpoint_as_otlp_protobuf_with_the_token()
    {
        await using var collector = await LocalServer.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.CompleteAsync();
        });
        using var tracer = ThreadlineTracer.Create(new ThreadlineOptions
        {
            Endpoint = collector.Url,
            Token = "t0k3n",
            FunctionName = "otlp-fn",
            FlushBudget = TimeSpan.FromSeconds(10),
        });

        var result = await tracer.InvokeAsync(Samples.Read("sqs-batch"), new FakeLambdaContext { AwsRequestId = "req-otlp-1" }, (_, _) =>
        {
            Console.WriteLine("hello over otlp");
            return Task.FromResult(1);
        });

        Assert.Equal(1, result);
        var traces = await collector.WaitForRequestAsync(r => r.PathAndQuery == "/v1/traces");
        Assert.Equal("POST", traces.Method);
        Assert.Equal("application/x-protobuf", traces.Header("Content-Type"));
        Assert.Equal("Bearer t0k3n", traces.Header("Authorization"));
        foreach (var expected in new[] { "service.name", "cloud.platform", "aws_lambda", "otlp-fn", "faas.invocation_id", "req-otlp-1", "threadline.trigger.keys", "sqs:msg:059f36b4-87a3-44ab-83d2-661975830a7d", "host.arch" })
            Assert.True(Contains(traces.Body, expected), $"trace export lacks {expected}");
        var logs = await collector.WaitForRequestAsync(r => r.PathAndQuery == "/v1/logs");
        Assert.True(Contains(logs.Body, "hello over otlp"));
    }

    [Theory]
    [InlineData(System.Runtime.InteropServices.Architecture.X64, "amd64")]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm64, "arm64")]
    public void The_host_architecture_is_named_as_OpenTelemetry_names_it(System.Runtime.InteropServices.Architecture architecture, string expected) =>
        Assert.Equal(expected, Threadline.Tracer.Export.HostArchitecture.Of(architecture));

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
