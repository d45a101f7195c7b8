using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Api;
using Threadline.Analysis.Ingest;

namespace Threadline.Web.Tests.Browser;

/// <summary>What the tests look for in the analysis of the demo run.</summary>
public static class AnalysisData
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The analysis answers, built the way the web module builds them.</summary>
    public static AnalysisQueries Queries(WebRun run) => ActivatorUtilities.CreateInstance<AnalysisQueries>(run.Server.Services);

    /// <summary>The send-email issue of the rejected VIP receipts, once its impact and a VIP user are known.</summary>
    public static async Task<IssueDetailResponse> SendEmailIssueAsync(WebRun run)
    {
        var queries = Queries(run);
        IssueDetailResponse? found = null;
        await PollAsync(() =>
        {
            found = queries.Issues(null, "send-email", null, null).Where(i => i.ErrorType == "HTTP 400")
                .Select(i => queries.Issue(i.Id)?.Detail)
                .FirstOrDefault(d => d is { Exposure.VipUsers.Count: > 0 } && d.Impact.Any(e => e.Entry == "POST /payments") && d.Samples.Any(s => s.TransactionId is not null));
            return found is not null;
        }, () => "send-email issues: " + string.Join("; ", queries.Issues(null, "send-email", null, null).Select(i => $"{i.ErrorType} {i.Message} ×{i.Count}")));
        return found!;
    }

    /// <summary>Polls until the condition holds, failing with what was seen after the deadline.</summary>
    public static async Task PollAsync(Func<bool> condition, Func<string> seen)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (!condition())
                await poll.WaitForNextTickAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Not within {Deadline}: {seen()}");
        }
    }
}
