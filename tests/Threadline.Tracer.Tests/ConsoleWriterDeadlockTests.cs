using System.Text;
using Threadline.Tracer.Logs;

namespace Threadline.Tracer.Tests;

/// <summary>
/// The capturing console writer and a thread that writes through the writer it wraps (kept from before, as a logger
/// or a test runner keeps <c>Console.Out</c>): .NET's console takes the lock of <c>Console.Out</c> inside every write, so
/// the two lock orders cross. Built here without the process's console: a synchronized wrapper around the capturing
/// writer plays <c>Console.Out</c>, and the wrapped writer takes that wrapper's lock inside its write, as the console does.
/// </summary>
public sealed class ConsoleWriterDeadlockTests
{
    [Fact]
    public async Task A_write_through_the_capturing_writer_does_not_deadlock_with_a_write_through_the_wrapped_writer()
    {
        var console = new ConsoleLikeWriter();
        var original = TextWriter.Synchronized(console);
        var consoleOut = TextWriter.Synchronized(new CapturingConsoleWriter(original, isError: false));
        console.ConsoleOut = consoleOut;
        console.HoldFirstWriteUntilConsoleOutIsTaken = true;

        // The other thread enters the wrapped writer (its lock) and waits, inside, until Console.Out's lock is taken.
        var other = Task.Factory.StartNew(() => original.WriteLine("from a kept reference"), TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        console.FirstWriteEntered.Wait(TestContext.Current.CancellationToken);
        // This thread takes Console.Out's lock and writes through the capturing writer, which needs the wrapped writer.
        var handler = Task.Factory.StartNew(() => consoleOut.WriteLine("from the handler"), TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var both = Task.WhenAll(other, handler);
        var finished = await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.True(finished == both, "the two writes deadlocked");
        await WaitForAsync(() => console.Text.Contains("from the handler", StringComparison.Ordinal));
        Assert.Equal(["from a kept reference", "from the handler"], console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Without_contention_a_write_goes_through_at_once_and_in_order()
    {
        var console = new ConsoleLikeWriter();
        var consoleOut = TextWriter.Synchronized(new CapturingConsoleWriter(TextWriter.Synchronized(console), isError: false));
        console.ConsoleOut = consoleOut;

        consoleOut.Write("a");
        consoleOut.Write(['b', 'c', 'd'], 1, 2);
        consoleOut.WriteLine("e");
        consoleOut.Flush();

        Assert.Equal("acde\n", console.Text);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
            await poll.WaitForNextTickAsync(deadline.Token);
    }

    /// <summary>A console stream writer: inside each write it takes the lock of <see cref="ConsoleOut"/>, as .NET's console does.</summary>
    private sealed class ConsoleLikeWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public TextWriter? ConsoleOut { get; set; }

        public bool HoldFirstWriteUntilConsoleOutIsTaken { get; set; }

        public ManualResetEventSlim FirstWriteEntered { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                    return _text.ToString();
            }
        }

        public override void Write(char value) => Append(value.ToString());

        public override void Write(string? value) => Append(value ?? "");

        public override void WriteLine(string? value) => Append((value ?? "") + "\n");

        private void Append(string text)
        {
            if (HoldFirstWriteUntilConsoleOutIsTaken)
            {
                HoldFirstWriteUntilConsoleOutIsTaken = false;
                FirstWriteEntered.Set();
                // Until another thread holds Console.Out's lock (TryEnter fails), then wait for that lock, as the console does.
                while (Monitor.TryEnter(ConsoleOut!))
                {
                    Monitor.Exit(ConsoleOut!);
                    Thread.Yield();
                }
            }
            lock (ConsoleOut!)
            {
                lock (_text)
                    _text.Append(text);
            }
        }
    }
}
