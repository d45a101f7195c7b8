using Threadline.Analysis.Api;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class FunctionDetailModelTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static AnalyzedInvocation Invocation(int i, double atSeconds, double ms, bool failed) => new()
    {
        Id = new InvocationId((UInt128)(i + 1), (ulong)(i + 1)),
        Function = "send-email",
        Failed = failed,
        StartTimeUnixNano = Time.ToUnixNanos(Start.AddSeconds(atSeconds)),
        EndTimeUnixNano = Time.ToUnixNanos(Start.AddSeconds(atSeconds).AddMilliseconds(ms)),
    };

    private static DeploymentResponse Deployment(string version, double atSeconds, double errorsBefore, double errorsAfter, IReadOnlyList<string> fixedIssues) =>
        new("send-email", version, Start.AddSeconds(atSeconds), $"errors {errorsBefore}/h → {errorsAfter}/h after {version}", "1", "detected", false,
            new ComparisonResponse(errorsBefore, errorsAfter, 100, 90, 10, 10, fixedIssues, []));

    [Fact]
    public void Charts_count_invocations_and_errors_per_bucket_and_carry_the_deployments_as_markers_with_their_verdict()
    {
        IReadOnlyList<AnalyzedInvocation> invocations = [Invocation(0, 0.2, 10, true), Invocation(1, 0.7, 30, true), Invocation(2, 5.5, 20, false), Invocation(3, 9.1, 40, false)];
        var model = FunctionDetailModel.Of("send-email", invocations, [Deployment("2", 5, 7200, 0, ["03f50631a9e0"])], [], [], null, Start.AddSeconds(10));

        Assert.Equal(10, model.Invocations.Labels.Count);
        Assert.Equal([2, 0, 0, 0, 0, 1, 0, 0, 0, 1], model.Invocations.Series[0].Values);
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 0, 0, 0], model.Errors.Series[0].Values);
        Assert.Equal(["p50", "p95"], model.Duration.Series.Select(s => s.Label));
        Assert.Equal(30, model.Duration.Series[1].Values[0]);
        var marker = Assert.Single(model.Errors.Markers);
        Assert.Equal(("2", 4.5, "errors 7200/h → 0/h after 2"), (marker.Label, marker.Position, marker.Text));
        Assert.Equal(model.Invocations.Markers, model.Duration.Markers);
        Assert.Equal((4, 2), (model.Stats.Invocations, model.Stats.Errors));
    }

    [Fact]
    public void A_deployment_outside_the_range_is_listed_but_not_marked()
    {
        var model = FunctionDetailModel.Of("send-email", [Invocation(0, 30, 10, false)], [Deployment("2", 1, 0, 0, [])], [], [],
            Start.AddSeconds(20), Start.AddSeconds(40));

        Assert.Empty(model.Invocations.Markers);
        Assert.Single(model.Deployments);
    }

    [Fact]
    public void A_verdict_is_good_when_errors_fall_or_an_issue_is_fixed_and_bad_when_they_rise()
    {
        Assert.Equal("good", DeploymentRow.Of(Deployment("2", 0, 10, 0, ["03f50631a9e0"])).Outcome);
        Assert.Equal("bad", DeploymentRow.Of(Deployment("3", 0, 0, 4, [])).Outcome);
        Assert.Equal("neutral", DeploymentRow.Of(Deployment("4", 0, 0, 0, [])).Outcome);
        Assert.Equal(("10/h → 0/h", "100 ms → 90 ms"), (DeploymentRow.Of(Deployment("2", 0, 10, 0, [])).Errors, DeploymentRow.Of(Deployment("2", 0, 10, 0, [])).P95));
    }

    [Fact]
    public void A_failure_opens_its_first_transaction_at_the_invocation()
    {
        var invocation = Invocation(0, 1, 10, true);
        var line = FailureLine.Of(new FailedInvocation(invocation, ["tx-a", "tx-b"]));

        Assert.Equal($"/transactions/tx-a?invocation={Uri.EscapeDataString(invocation.Id.ToString())}", line.Href);
        Assert.Null(FailureLine.Of(new FailedInvocation(invocation, [])).Href);
    }
}
