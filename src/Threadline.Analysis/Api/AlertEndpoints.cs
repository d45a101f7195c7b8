using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Alerts.Management;
using Threadline.Server.Api.Contracts;

namespace Threadline.Analysis.Api;

/// <summary>
/// Alert rules and channels (the rule file's read-only, the store's editable), the test of a channel, snooze and mute
/// of rules and issues, and the in-app notification list.
/// </summary>
internal static class AlertEndpoints
{
    public static void MapAlertApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts/rules", (AlertManager alerts, CancellationToken ct) => alerts.RulesAsync(ct))
            .WithName("ListAlertRules").WithSummary("Every alert rule: the rule file's (source file, read-only) and the store's (source store), with silences.")
            .Produces<AlertRulesResponse>();
        api.MapGet("/alerts/rules/{id}", async (string id, AlertManager alerts, CancellationToken ct) =>
                await alerts.RuleAsync(id, ct) is { } rule ? Results.Ok(rule) : NotFound($"There is no rule '{id}'."))
            .WithName("GetAlertRule").Produces<AlertRuleResponse>().Produces<ApiError>(StatusCodes.Status404NotFound);
        api.MapPost("/alerts/rules", (HttpRequest request, AlertManager alerts, CancellationToken ct) =>
                WithBodyAsync<AlertRuleInput, AlertRuleResponse>(request, "rule", body => alerts.CreateRuleAsync(body, ct), r => $"/api/alerts/rules/{Uri.EscapeDataString(r.Id)}"))
            .Accepts<AlertRuleInput>("application/json")
            .WithName("CreateAlertRule").WithSummary("Creates a rule: {name, type, function?, entry?, threshold?, window?, minInvocations?, channels[]}; 400 lists every problem.")
            .Produces<AlertRuleResponse>(StatusCodes.Status201Created).Produces<ValidationErrorResponse>(StatusCodes.Status400BadRequest);
        api.MapPut("/alerts/rules/{id}", (string id, HttpRequest request, AlertManager alerts, CancellationToken ct) =>
                WithBodyAsync<AlertRuleInput, AlertRuleResponse>(request, "rule", body => alerts.UpdateRuleAsync(id, body, ct), null))
            .Accepts<AlertRuleInput>("application/json")
            .WithName("UpdateAlertRule").WithSummary("Replaces a rule (version: optional, the version read; 409 when it changed since or the rule is the file's).")
            .Produces<AlertRuleResponse>().Produces<ValidationErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status409Conflict);
        api.MapDelete("/alerts/rules/{id}", async (string id, long? version, AlertManager alerts, CancellationToken ct) =>
                Answer(await alerts.DeleteRuleAsync(id, version, ct), null))
            .WithName("DeleteAlertRule").Produces(StatusCodes.Status204NoContent)
            .Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapGet("/alerts/channels", (AlertManager alerts, CancellationToken ct) => alerts.ChannelsAsync(ct))
            .WithName("ListAlertChannels").WithSummary("Every channel, without secrets (urlSet, passwordSet say whether they are stored).")
            .Produces<AlertChannelsResponse>();
        api.MapGet("/alerts/channels/{id}", async (string id, AlertManager alerts, CancellationToken ct) =>
                await alerts.ChannelAsync(id, ct) is { } channel ? Results.Ok(channel) : NotFound($"There is no channel '{id}'."))
            .WithName("GetAlertChannel").Produces<AlertChannelResponse>().Produces<ApiError>(StatusCodes.Status404NotFound);
        api.MapPost("/alerts/channels", (HttpRequest request, AlertManager alerts, CancellationToken ct) =>
                WithBodyAsync<AlertChannelInput, AlertChannelResponse>(request, "channel", body => alerts.CreateChannelAsync(body, ct), c => $"/api/alerts/channels/{Uri.EscapeDataString(c.Id)}"))
            .Accepts<AlertChannelInput>("application/json")
            .WithName("CreateAlertChannel")
            .WithSummary("Creates a channel: webhook or slack {name, type, url}; email {name, type, smtpHost, smtpPort?, useTls?, userName?, password?, from, to[]}.")
            .Produces<AlertChannelResponse>(StatusCodes.Status201Created).Produces<ValidationErrorResponse>(StatusCodes.Status400BadRequest);
        api.MapPut("/alerts/channels/{id}", (string id, HttpRequest request, AlertManager alerts, CancellationToken ct) =>
                WithBodyAsync<AlertChannelInput, AlertChannelResponse>(request, "channel", body => alerts.UpdateChannelAsync(id, body, ct), null))
            .Accepts<AlertChannelInput>("application/json")
            .WithName("UpdateAlertChannel").WithSummary("Replaces a channel; url and password left out keep the stored ones (write-only).")
            .Produces<AlertChannelResponse>().Produces<ValidationErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status409Conflict);
        api.MapDelete("/alerts/channels/{id}", async (string id, long? version, AlertManager alerts, CancellationToken ct) =>
                Answer(await alerts.DeleteChannelAsync(id, version, ct), null))
            .WithName("DeleteAlertChannel").WithSummary("Deletes a channel; 409 while a rule uses it.").Produces(StatusCodes.Status204NoContent)
            .Produces<ApiError>(StatusCodes.Status404NotFound).Produces<ApiError>(StatusCodes.Status409Conflict);
        api.MapPost("/alerts/channels/{id}/test", async (string id, AlertManager alerts, CancellationToken ct) =>
                Answer(await alerts.TestChannelAsync(id, ct), null))
            .WithName("TestAlertChannel").WithSummary("Sends a test notification; 200 when delivered, 502 with the reason when not.")
            .Produces<ChannelOutcome>().Produces<ApiError>(StatusCodes.Status502BadGateway).Produces<ApiError>(StatusCodes.Status404NotFound);

        foreach (var target in new[] { "rule", "issue" })
        {
            var path = $"/alerts/{target}s/{{id}}/silence";
            api.MapPut(path, async (string id, SilenceInput? body, AlertManager alerts, CancellationToken ct) =>
                    Answer(await alerts.SilenceAsync(target, id, body, ct), null))
                .WithName($"Silence{(target == "rule" ? "Rule" : "Issue")}").WithSummary($"Mutes ({{\"mute\": true}}) or snoozes ({{\"minutes\": N}}) the {target}'s notifications.")
                .Produces<SilenceResponse>().Produces<ValidationErrorResponse>(StatusCodes.Status400BadRequest);
            api.MapDelete(path, async (string id, AlertManager alerts, CancellationToken ct) =>
                    await alerts.UnsilenceAsync(target, id, ct) ? Results.NoContent() : NotFound($"The {target} '{id}' is not muted or snoozed."))
                .WithName($"Unsilence{(target == "rule" ? "Rule" : "Issue")}").WithSummary($"Ends the {target}'s mute or snooze.")
                .Produces(StatusCodes.Status204NoContent).Produces<ApiError>(StatusCodes.Status404NotFound);
        }
        api.MapGet("/alerts/silences", (AlertManager alerts, CancellationToken ct) => alerts.SilencesAsync(ct))
            .WithName("ListAlertSilences").WithSummary("The mutes and snoozes in force, of rules and issues.").Produces<List<SilenceView>>();

        api.MapGet("/alerts/notifications", (AlertManager alerts) => TypedResults.Ok(alerts.Notifications()))
            .WithName("ListAlertNotifications").WithSummary("The in-app list: the latest notifications (at most 200), latest first, with the outcome per channel.")
            .Produces<List<AlertNotification>>();
        api.MapGet("/alerts/notifications/unread", (AlertManager alerts) => TypedResults.Ok(new UnreadResponse(alerts.Unread())))
            .WithName("CountUnreadNotifications").Produces<UnreadResponse>();
        api.MapPost("/alerts/notifications/read", (AlertManager alerts) =>
            {
                alerts.MarkAllRead();
                return TypedResults.Ok(new UnreadResponse(alerts.Unread()));
            })
            .WithName("MarkNotificationsRead").WithSummary("Marks every notification so far as read.").Produces<UnreadResponse>();
    }

    private static IResult NotFound(string message) => Results.NotFound(new ApiError(message));

    /// <summary>
    /// Reads the JSON body (rather than binding it) so that a body that is not JSON of the input's shape, such as a
    /// number sent as text, is a 400 saying what is wrong instead of an empty one; then acts on it.
    /// </summary>
    private static async Task<IResult> WithBodyAsync<TInput, TResult>(HttpRequest request, string what, Func<TInput?, Task<AlertResult<TResult>>> act,
        Func<TResult, string>? location) where TInput : class
    {
        TInput? body;
        try
        {
            body = request.ContentLength == 0 ? null : await request.ReadFromJsonAsync<TInput>(AlertRuleSource.Json, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Results.BadRequest(new ValidationErrorResponse($"The {what} is not JSON of the expected shape.",
                [new FieldError(e.Path?.TrimStart('$', '.') ?? "", e.Message)]));
        }
        catch (InvalidOperationException e)
        {
            return Results.BadRequest(new ValidationErrorResponse($"The {what} must be sent as JSON (Content-Type: application/json).", [new FieldError("", e.Message)]));
        }
        return Answer(await act(body).ConfigureAwait(false), location);
    }

    private static IResult Answer<T>(AlertResult<T> result, Func<T, string>? location) => result.Outcome switch
    {
        AlertOutcome.Created => Results.Created(location!(result.Value!), result.Value),
        AlertOutcome.Ok => typeof(T) == typeof(bool) ? Results.NoContent() : Results.Ok(result.Value),
        AlertOutcome.NotFound => NotFound(result.Message!),
        AlertOutcome.Invalid => Results.BadRequest(new ValidationErrorResponse(result.Message!, result.Errors!)),
        AlertOutcome.Conflict => Results.Conflict(new ApiError(result.Message!)),
        _ => Results.Json(new ApiError(result.Message!), statusCode: StatusCodes.Status502BadGateway),
    };
}
