using System.Globalization;
using System.Text.Json;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;

namespace Threadline.Bench.Suites;

/// <summary>
/// 5. The tracer: runs the BenchmarkDotNet project (bench/Threadline.Tracer.Benchmarks) and reports the added
/// cost per invocation and per outgoing call (mean minus the uninstrumented mean), for Threadline and for the
/// plain OpenTelemetry SDK recording the same spans.
/// </summary>
internal static class TracerSuite
{
    public static async Task RunAsync(BenchSettings settings, Results results)
    {
        Console.WriteLine($"== tracer: BenchmarkDotNet, job {settings.TracerJob}");
        var artifacts = Path.Combine(settings.WorkDirectory, "tracer");
        await using (var run = ChildProcess.Start("dotnet",
            [RepoPaths.TracerBenchmarks, "--filter", "*", "--job", settings.TracerJob, "--exporters", "json", "--artifacts", artifacts],
            null, "tracer benchmarks"))
        {
            var exit = await run.WaitForExitAsync(TimeSpan.FromMinutes(60));
            if (exit != 0)
                throw new InvalidOperationException($"The tracer benchmarks failed:\n{string.Join('\n', run.Output.TakeLast(40))}");
        }

        var means = new Dictionary<string, double>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(artifacts, "results"), "*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (benchmark.TryGetProperty("Statistics", out var statistics) && statistics.ValueKind == JsonValueKind.Object)
                    means[benchmark.GetProperty("Method").GetString()!] = statistics.GetProperty("Mean").GetDouble() / 1000;
            }
        }

        Added(results, means, "per_invocation", "per invocation", "Uninstrumented", "Threadline", "PlainOpenTelemetry", 50);
        Added(results, means, "per_http_call", "per outgoing HTTP call", "HttpUninstrumented", "HttpThreadline", "HttpPlainOpenTelemetry", 20);
        Added(results, means, "per_sqs_call", "per outgoing SQS call", "SqsUninstrumented", "SqsThreadline", "SqsPlainOpenTelemetry", 20);
    }

    private static void Added(Results results, Dictionary<string, double> means, string key, string what, string baseline, string threadline, string plain, double target)
    {
        double Get(string method) => means.TryGetValue(method, out var mean) ? mean : double.NaN;
        var note = string.Create(CultureInfo.InvariantCulture, $"means: none {Get(baseline):F2} µs, Threadline {Get(threadline):F2} µs, plain OTel {Get(plain):F2} µs; export excluded");
        results.Add(new Figure($"tracer.threadline.{key}_us", "tracer", $"Threadline tracer: added {what}", Get(threadline) - Get(baseline), "µs", target, Goal.AtMost, note));
        results.Add(new Figure($"tracer.plain_otel.{key}_us", "tracer", $"plain OpenTelemetry SDK: added {what}", Get(plain) - Get(baseline), "µs"));
    }
}
