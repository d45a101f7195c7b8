namespace Threadline.Demo.Scenario;

/// <summary>What happens in a phase of the scenario.</summary>
public enum ScenarioPhaseKind
{
    Normal,
    EmailTemplatesDropped,
    AnalyticsHangs,
    AnalyticsRecovers,
    ColdStartBurst,
    SendEmailV2,
}

/// <summary>A phase starting at a fraction of the run's duration.</summary>
public sealed record ScenarioPhase(ScenarioPhaseKind Kind, double StartFraction, string Description)
{
    /// <summary>The phases of every run, in order; their start times scale with the duration.</summary>
    public static IReadOnlyList<ScenarioPhase> Plan { get; } =
    [
        new(ScenarioPhaseKind.Normal, 0.00, "normal traffic: payments, receipts, loyalty, clickstream, the lunch bot"),
        new(ScenarioPhaseKind.EmailTemplatesDropped, 0.20, "the messaging provider drops the VIP receipt templates except English: send-email fails for those VIP customers"),
        new(ScenarioPhaseKind.AnalyticsHangs, 0.35, "the analytics API hangs: aggregate times out and its clickstream batches are retried"),
        new(ScenarioPhaseKind.AnalyticsRecovers, 0.50, "the analytics API answers again"),
        new(ScenarioPhaseKind.ColdStartBurst, 0.55, "new versions of process-payment, fraud-check and notify, then a burst of concurrent payments: cold starts"),
        new(ScenarioPhaseKind.SendEmailV2, 0.75, "send-email v2 is deployed (one receipt template per locale): the failures stop"),
    ];

    public TimeSpan StartIn(TimeSpan duration) => duration * StartFraction;
}
