using FsCheck;
using FsCheck.Fluent;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>Runs a property over generated seeds with FsCheck, under a deadline so that a hang fails instead of blocking.</summary>
internal static class FuzzRun
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(Math.Max(2, FuzzCorpus.Cases / 2_000));

    public static Task ForAllSeedsAsync(Action<int> property) => ForAllSeedsAsync(FuzzCorpus.Cases, property);

    public static async Task ForAllSeedsAsync(int cases, Action<int> property)
    {
        var run = Task.Run(() => Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(Math.Max(1, cases)),
            Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => property(seed))));
        await run.WaitAsync(Deadline, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and checks it allocated at most <paramref name="factor"/> times the input's size
    /// plus a fixed allowance: no input may make a decoder allocate without bound.
    /// </summary>
    public static void WithinAllocation(int inputBytes, int factor, Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = (long)inputBytes * factor + 4 * 1024 * 1024;
        Assert.True(allocated <= limit, $"{allocated} bytes allocated for an input of {inputBytes} bytes (limit {limit})");
    }
}
