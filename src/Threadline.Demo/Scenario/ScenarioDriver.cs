using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Threadline.Demo.Functions;
using Threadline.Demo.Hosting;

namespace Threadline.Demo.Scenario;

/// <summary>
/// Drives the demo: payments at the configured rate from seeded customers, the lunch bot, and the phases of
/// <see cref="ScenarioPhase.Plan"/> at their scaled times. The same seed sends the same payments in the same order.
/// </summary>
public sealed class ScenarioDriver(DemoApplication app, ScenarioOptions options, TextWriter log)
{
    private readonly ConcurrentQueue<PaymentResult> _payments = new();

    public IReadOnlyCollection<PaymentResult> Payments => _payments;

    /// <summary>How long the end of a run waits for a fault that has not shown yet before its fix goes ahead anyway.</summary>
    private static readonly TimeSpan LateFaultGrace = TimeSpan.FromSeconds(60);

    public IReadOnlyList<DemoUser> Users { get; private set; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        Users = DemoUser.Create(random, options.Users);
        using var http = new HttpClient { BaseAddress = app.ShopApi };
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        var phases = new Queue<ScenarioPhase>(ScenarioPhase.Plan);
        var interval = TimeSpan.FromSeconds(1 / options.Rate);
        var sent = 0;

        Log(clock, $"scenario: {options.Duration.TotalSeconds:0.#} s, {options.Rate:0.##} payments/s, seed {options.Seed}, {Users.Count} customers ({Users.Count(u => u.Vip)} VIP)");
        app.FireLunchSchedule();
        for (var due = TimeSpan.Zero; due < options.Duration; due += interval)
        {
            while (phases.TryPeek(out var phase) && phase.StartIn(options.Duration) <= due && Ready(phase))
            {
                phases.Dequeue();
                await WaitUntilAsync(clock, phase.StartIn(options.Duration), cancellationToken).ConfigureAwait(false);
                Log(clock, $"phase: {phase.Description}");
                inFlight.AddRange(Enter(phase, http, random, () => sent++));
            }
            await WaitUntilAsync(clock, due, cancellationToken).ConfigureAwait(false);
            inFlight.Add(PayAsync(http, NextPayment(random, sent++), cancellationToken));
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        while (phases.TryDequeue(out var late))
        {
            await WaitUntilReadyAsync(late, cancellationToken).ConfigureAwait(false);
            Log(clock, $"phase: {late.Description}");
            inFlight.AddRange(Enter(late, http, random, () => sent++));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var byStatus = _payments.GroupBy(p => p.StatusCode).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}");
        Log(clock, $"scenario done: {_payments.Count} payments ({string.Join(", ", byStatus)})");
    }

    /// <summary>
    /// A fix is deployed, and a hanging dependency recovers, only once the fault has shown: the async pipeline (queues,
    /// batches) may lag behind the scenario's clock on a busy machine, and a short run's fault window would otherwise
    /// close before any message reached the failing call.
    /// </summary>
    private bool Ready(ScenarioPhase phase) => phase.Kind switch
    {
        ScenarioPhaseKind.SendEmailV2 => app.ThirdParties.RejectedMessages > 0,
        ScenarioPhaseKind.AnalyticsRecovers => app.ThirdParties.DelayedIngests > 0,
        _ => true,
    };

    /// <summary>After the last payment: waits for a phase's fault to show, at most <see cref="LateFaultGrace"/> (then it goes ahead).</summary>
    private async Task WaitUntilReadyAsync(ScenarioPhase phase, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!Ready(phase) && waited.Elapsed < LateFaultGrace)
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<Task> Enter(ScenarioPhase phase, HttpClient http, Random random, Func<int> nextIndex)
    {
        switch (phase.Kind)
        {
            case ScenarioPhaseKind.EmailTemplatesDropped:
                app.ThirdParties.RemoveTemplates(SendEmail.VipTemplatesDropped);
                // A VIP customer whose receipt template is gone pays right away.
                if (Users.FirstOrDefault(u => u.Vip && SendEmail.VipTemplatesDropped.Contains($"payment-receipt-vip-{u.Locale}")) is { } vip)
                    return [PayAsync(http, NextPayment(random, nextIndex(), vip), CancellationToken.None)];
                break;
            case ScenarioPhaseKind.AnalyticsHangs:
                app.ThirdParties.AnalyticsDelay = Aggregate.Timeout * 2;
                break;
            case ScenarioPhaseKind.AnalyticsRecovers:
                app.ThirdParties.AnalyticsDelay = TimeSpan.Zero;
                break;
            case ScenarioPhaseKind.ColdStartBurst:
                foreach (var function in new[] { DemoNames.ProcessPayment, DemoNames.FraudCheck, DemoNames.Notify })
                    app.Redeploy(function);
                var burst = Math.Max(5, (int)Math.Ceiling(options.Rate * 2));
                return [.. Enumerable.Range(0, burst).Select(_ => PayAsync(http, NextPayment(random, nextIndex()), CancellationToken.None))];
            case ScenarioPhaseKind.SendEmailV2:
                app.DeploySendEmailV2();
                break;
        }
        return [];
    }

    private (string Id, DemoUser User, decimal Amount) NextPayment(Random random, int index, DemoUser? by = null)
    {
        var user = by ?? Users[random.Next(Users.Count)];
        // One payment in twenty (not a scripted one) is large enough for fraud-check to decline it.
        var amount = index % 20 == 7 && by is null ? 6_000m : Math.Round((decimal)(5 + (random.NextDouble() * 495)), 2);
        return ($"p-{options.Seed}-{index:D5}", user, amount);
    }

    private async Task PayAsync(HttpClient http, (string Id, DemoUser User, decimal Amount) payment, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["paymentId"] = payment.Id,
            ["userId"] = payment.User.Id,
            ["vip"] = payment.User.Vip,
            ["locale"] = payment.User.Locale,
            ["email"] = payment.User.Email,
            ["amount"] = payment.Amount,
            ["currency"] = "EUR",
        };
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("payments", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
            _payments.Enqueue(new PaymentResult(payment.Id, payment.User, payment.Amount, (int)response.StatusCode, requestId));
        }
        catch (HttpRequestException e)
        {
            Log(null, $"payment {payment.Id} not sent: {e.Message}");
        }
    }

    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
    }

    private void Log(Stopwatch? clock, string message)
    {
        var at = clock is null ? "" : string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0}s] ");
        lock (log)
            log.WriteLine(at + message);
    }
}
