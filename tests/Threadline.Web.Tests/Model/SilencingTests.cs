using Threadline.Analysis.Alerts.Management;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class SilencingTests
{
    [Fact]
    public void A_silence_reads_as_active_muted_or_until_when_it_is_snoozed_and_names_the_button_that_ends_it()
    {
        var muted = new SilenceResponse(true, null);
        var snoozed = new SilenceResponse(false, new DateTimeOffset(2026, 12, 7, 3, 4, 5, TimeSpan.FromHours(2)));

        Assert.Equal("active", Silencing.Text(null));
        Assert.Equal("muted", Silencing.Text(muted));
        Assert.Equal("snoozed until 2026-12-07 01:04:05 UTC", Silencing.Text(snoozed));
        Assert.Equal(("Unmute", "End snooze"), (Silencing.EndLabel(muted), Silencing.EndLabel(snoozed)));
    }

    [Fact]
    public void The_buttons_ask_for_a_mute_or_a_one_hour_snooze()
    {
        Assert.Equal(new SilenceInput(true, null), Silencing.Input(mute: true));
        Assert.Equal(new SilenceInput(null, 60), Silencing.Input(mute: false));
    }
}
