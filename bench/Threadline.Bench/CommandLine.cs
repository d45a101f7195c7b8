using System.Globalization;

namespace Threadline.Bench;

/// <summary>`--name value` and `--flag` pairs.</summary>
internal static class CommandLine
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>();
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                options[name] = "";
            }
            else if (name is not null)
            {
                options[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }
        return options;
    }

    public static int Int(Dictionary<string, string> options, string name) => int.Parse(options[name], CultureInfo.InvariantCulture);

    public static long Long(Dictionary<string, string> options, string name) => long.Parse(options[name], CultureInfo.InvariantCulture);

    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: bench/run [--quick] [--only ingest,storage,query,tracer] [--query-sizes N,N] [--store-only]
                   Threadline.Bench open --data DIR    (time to open a store folder, upgrade included)
                   Threadline.Bench preload --data DIR --spans N [--no-payloads]    (the query step's store, without derived state)
                   Threadline.Bench generate [--url http://127.0.0.1:4318] [--spans N] [--seed N] [--rate SPANS_PER_S] [--connections N] [--no-payloads]
                   Threadline.Bench clickhouse-bytes [--url http://127.0.0.1:8123] [--spans N] [--no-payloads] [--keep]
            """);
        return 2;
    }
}
