using Microsoft.Extensions.DependencyInjection;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Tests.Browser;

/// <summary>What the tests look for in the stitched demo data.</summary>
public static class DemoData
{
    /// <summary>Generous: on a loaded machine the tracer exports the last spans well after the scenario ends.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A failed payment transaction whose send-email invocation had a receipt rejected by the Twilio-like API and
    /// reported in its partial batch response (waits for the telemetry that the tracer exports a little after the
    /// scenario ends).
    /// </summary>
    public static async Task<(Transaction Transaction, Invocation Mail)> FailedPaymentAsync(WebRun run)
    {
        var engine = run.Server.Services.GetRequiredService<StitchEngine>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        do
        {
            foreach (var summary in engine.ListTransactions(new TransactionFilter { Status = StatusCode.Error, Entry = "POST /payments", Limit = 1000 }))
            {
                if (engine.GetTransaction(summary.Id) is { } transaction
                    && transaction.Invocations.FirstOrDefault(i => i.Function == "send-email" && i.Error?.Contains("records reported failed (batchItemFailures)", StringComparison.Ordinal) == true) is { } mail)
                    return (transaction, mail);
            }
        }
        while (await WaitAsync(poll, deadline.Token));
        var mails = engine.ListTransactions(new TransactionFilter { Limit = 1000 })
            .SelectMany(t => engine.GetTransaction(t.Id)?.Invocations ?? [])
            .Where(i => i.Function == "send-email").Select(i => $"{i.Status} {i.Error}").Distinct();
        Assert.Fail($"No failed payment with a rejected mail within {Deadline}; send-email invocations seen:\n{string.Join("\n", mails)}");
        throw new InvalidOperationException("unreachable");
    }

    private static async Task<bool> WaitAsync(PeriodicTimer poll, CancellationToken deadline)
    {
        try
        {
            return await poll.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
