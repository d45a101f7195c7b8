using Threadline.Bench.Measure;

namespace Threadline.Bench.Suites;

/// <summary>What one ingest run cost: CPU-seconds per span (of the receiver and the server it stores into, and of the receiver alone), throughput, peak RSS (summed).</summary>
internal sealed record IngestCost(double CpuSecondsPerSpan, double ReceiverCpuSecondsPerSpan, double SpansPerSecond, double PeakRssMegabytes);

/// <summary>
/// A server the receiver stores into (ClickHouse under Threadline), measured with it; <see cref="SettleAsync"/> waits,
/// after the receiver exited, until the server's deferred work is done and says how it ended.
/// </summary>
internal sealed record StoreProcess(string Name, ChildProcess Process, Func<Task<string>> SettleAsync);
