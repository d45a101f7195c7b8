using System.Globalization;
using Threadline.Bench;
using Threadline.Bench.Floor;
using Threadline.Bench.Suites;
using Threadline.Bench.Workload;

// bench/run → `run [--quick] [--only ingest,storage,query,tracer]`; the suite starts `floor` as a child process;
// `generate` sends a load to any OTLP/HTTP receiver; `clickhouse-bytes` measures bytes per span on a ClickHouse server.
var command = args.FirstOrDefault() ?? "run";
var options = CommandLine.Parse(args.Skip(1));
return command switch
{
    "run" => await SuiteRunner.RunAsync(options.ContainsKey("quick"), options.GetValueOrDefault("only")?.Split(','),
        options.GetValueOrDefault("query-sizes")?.Split(',').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray(),
        options.ContainsKey("store-only")),
    "floor" => await FloorCommand.RunAsync(options["data"],
        new WorkloadOptions(CommandLine.Int(options, "seed"), true, CommandLine.Long(options, "start"), CommandLine.Long(options, "spacing")),
        CommandLine.Long(options, "spans"), CommandLine.Int(options, "group")),
    "generate" => await GenerateCommand.RunAsync(new Uri(options.GetValueOrDefault("url") ?? "http://127.0.0.1:4318"),
        options.TryGetValue("spans", out var spans) ? long.Parse(spans, CultureInfo.InvariantCulture) : 100_000,
        options.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 1,
        options.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 0,
        options.TryGetValue("connections", out var connections) ? int.Parse(connections, CultureInfo.InvariantCulture) : 4,
        !options.ContainsKey("no-payloads"), options.TryGetValue("api", out var api) ? new Uri(api) : null),
    "clickhouse-bytes" => await ClickHouseBytes.RunAsync(new Uri(options.GetValueOrDefault("url") ?? "http://127.0.0.1:8123"),
        options.TryGetValue("spans", out var chSpans) ? long.Parse(chSpans, CultureInfo.InvariantCulture) : 100_000, !options.ContainsKey("no-payloads"),
        options.ContainsKey("keep")),
    "open" => await OpenCommand.RunAsync(options["data"]),
    "preload" => await PreloadCommand.RunAsync(options["data"], CommandLine.Long(options, "spans"), !options.ContainsKey("no-payloads")),
    _ => CommandLine.Usage(),
};
