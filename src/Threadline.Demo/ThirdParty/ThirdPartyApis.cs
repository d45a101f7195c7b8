using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Demo.ThirdParty;

/// <summary>
/// The third-party HTTP APIs the demo's functions call, faked in-process on 127.0.0.1: a PayPal-like payments
/// API, a Twilio-like messaging API (whose templates can disappear) and an analytics ingest API (which can hang).
/// </summary>
public sealed class ThirdPartyApis : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _missingTemplates = new(StringComparer.Ordinal);
    private long _analyticsDelayTicks;
    private int _rejectedMessages;
    private int _delayedIngests;

    private ThirdPartyApis(WebApplication app) => _app = app;

    /// <summary>Base URL, such as <c>http://127.0.0.1:49153/</c>; PayPal under <c>paypal/</c>, Twilio under <c>twilio/</c>, analytics under <c>analytics/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public Uri PayPal => new(BaseUrl, "paypal/");

    public Uri Twilio => new(BaseUrl, "twilio/");

    public Uri Analytics => new(BaseUrl, "analytics/");

    /// <summary>How long the analytics API takes to answer (a hanging dependency when long).</summary>
    public TimeSpan AnalyticsDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _analyticsDelayTicks));
        set => Interlocked.Exchange(ref _analyticsDelayTicks, value.Ticks);
    }

    /// <summary>How many messages the messaging API has rejected so far.</summary>
    public int RejectedMessages => Volatile.Read(ref _rejectedMessages);

    /// <summary>How many analytics requests were answered late so far.</summary>
    public int DelayedIngests => Volatile.Read(ref _delayedIngests);

    /// <summary>Templates the messaging API no longer knows: sending with one is a 400 "template not found".</summary>
    public void RemoveTemplates(IEnumerable<string> templates)
    {
        foreach (var template in templates)
            _missingTemplates[template] = true;
    }

    public void RestoreTemplates() => _missingTemplates.Clear();

    public static async Task<ThirdPartyApis> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var apis = new ThirdPartyApis(app);
        app.MapPost("/paypal/v1/payments/charges", ChargeAsync);
        app.MapPost("/twilio/2010-04-01/Messages.json", apis.SendMessageAsync);
        app.MapPost("/analytics/v1/ingest", apis.IngestAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        apis.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return apis;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<IResult> ChargeAsync(HttpRequest request)
    {
        var charge = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JsonObject
        {
            ["id"] = "PAYID-" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant(),
            ["status"] = "COMPLETED",
            ["amount"] = charge?["amount"]?.DeepClone(),
        }, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> SendMessageAsync(HttpRequest request)
    {
        var message = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        var template = message?["template"]?.GetValue<string>() ?? "";
        if (_missingTemplates.ContainsKey(template))
        {
            Interlocked.Increment(ref _rejectedMessages);
            return Results.Json(new JsonObject
            {
                ["code"] = 21_656,
                ["message"] = $"template not found: {template}",
                ["status"] = 400,
            }, statusCode: StatusCodes.Status400BadRequest);
        }
        return Results.Json(new JsonObject
        {
            ["sid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["status"] = "queued",
            ["to"] = message?["to"]?.DeepClone(),
        }, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> IngestAsync(HttpRequest request)
    {
        if (AnalyticsDelay > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _delayedIngests);
            await Task.Delay(AnalyticsDelay, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        return Results.NoContent();
    }
}
