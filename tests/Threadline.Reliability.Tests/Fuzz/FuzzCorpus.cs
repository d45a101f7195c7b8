using System.Globalization;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>
/// The seed corpus (<c>tests/Fuzz/corpus/</c>, copied beside the tests) and the byte mutations applied to it. The
/// number of cases per property is <c>THREADLINE_FUZZ_CASES</c> (a few hundred by default; <c>scripts/fuzz</c> runs
/// many more).
/// </summary>
internal static class FuzzCorpus
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fuzz", "corpus");

    public static int Cases { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("THREADLINE_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : 300;

    public static IReadOnlyList<byte[]> Files(string folder) =>
        [.. Directory.GetFiles(Path.Combine(Root, folder)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    public static IReadOnlyList<string> Lines(string folder, string file) =>
        [.. File.ReadAllLines(Path.Combine(Root, folder, file)).Where(l => l.Length > 0)];

    /// <summary>One to eight random edits of a seed: bit flips, random bytes, inserted, deleted, duplicated or spliced runs, truncation.</summary>
    public static byte[] Mutate(IReadOnlyList<byte[]> seeds, int seed)
    {
        var random = new Random(seed);
        var data = new List<byte>(seeds[random.Next(seeds.Count)]);
        var edits = random.Next(1, 9);
        for (var e = 0; e < edits; e++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    data.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 32)));
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(data.Count - at, random.Next(1, 64));
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 5:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(1, 128)));
                    break;
                case 6 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                default:
                    if (data.Count > 0)
                        data[at] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. data];
    }

    /// <summary>Bytes that mean something to protobuf (varint continuations, wire types) and JSON (brackets, quotes, escapes, bad UTF-8).</summary>
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0x1A, 0x22, 0x08, 0x10, (byte)'{', (byte)'[', (byte)'"', (byte)'\\', (byte)'-', (byte)'9', 0xC3, 0xED, 0xF4];
}
