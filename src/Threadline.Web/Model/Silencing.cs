using Threadline.Analysis.Alerts.Management;

namespace Threadline.Web.Model;

/// <summary>How a rule's or an issue's mute or snooze reads, and what its buttons ask the alert service for.</summary>
public static class Silencing
{
    /// <summary>The snooze the "Snooze 1 h" button asks for, in minutes.</summary>
    public const int SnoozeMinutes = 60;

    /// <summary>A mute (until unmuted) or a snooze of <see cref="SnoozeMinutes"/>.</summary>
    public static SilenceInput Input(bool mute) => mute ? new SilenceInput(true, null) : new SilenceInput(null, SnoozeMinutes);

    /// <summary><c>active</c>, <c>muted</c>, or until when it is snoozed (UTC).</summary>
    public static string Text(SilenceResponse? silence) => silence switch
    {
        null => "active",
        { Muted: true } => "muted",
        { SnoozedUntil: { } until } => $"snoozed until {Format.When(until)} UTC",
        _ => "active",
    };

    /// <summary>The label of the button that ends it.</summary>
    public static string EndLabel(SilenceResponse silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        return silence.Muted ? "Unmute" : "End snooze";
    }
}
