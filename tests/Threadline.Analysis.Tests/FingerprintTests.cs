using Threadline.Analysis.Issues;

namespace Threadline.Analysis.Tests;

/// <summary>The parts of the fingerprint: normalized messages and top frames.</summary>
public sealed class FingerprintTests
{
    [Theory]
    [InlineData("Order 12345 not found", "Order <n> not found")]
    [InlineData("Order ord_8f3k2 not found", "Order <id> not found")]
    [InlineData("Item 'blue-shirt' missing from cart 3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Item <str> missing from cart <guid>")]
    [InlineData("Mailbox unavailable for user7@example.com", "Mailbox unavailable for <email>")]
    [InlineData("Bad checksum 0x1F2E3D, expected deadbeef01", "Bad checksum <hex>, expected <hex>")]
    [InlineData("Rate limited at 2026-11-20T09:00:01.123Z, retry in 2.5 s", "Rate limited at <time>, retry in <n> s")]
    [InlineData("  Connection   reset\nat line two", "Connection reset")]
    [InlineData("POST 127.0.0.1:8080/v1/2010-04-01/send answered -1", "POST <ip>/<id>/<n>-<n>-<n>/send answered <n>")]
    public void Messages_lose_their_variable_parts(string message, string expected) =>
        Assert.Equal(expected, MessageNormalizer.Normalize(message));

    [Fact]
    public void Words_without_digits_stay()
    {
        Assert.Equal("Connection refused by upstream", MessageNormalizer.Normalize("Connection refused by upstream"));
    }

    [Theory]
    [InlineData("System.InvalidOperationException: x\n   at Demo.Pay.Charge(Card c) in /src/Pay.cs:line 41\n   at Demo.Pay.Handle()", "Demo.Pay.Charge")]
    [InlineData("System.Exception: x\n   at Demo.Mail.<SendAsync>d__4.MoveNext() in /src/Mail.cs:line 9", "Demo.Mail.SendAsync")]
    [InlineData("X: y\n   at Demo.SendEmail.<>c__DisplayClass2_1.<<Definition>b__1>d.MoveNext() in /src/SendEmail.cs:line 9", "Demo.SendEmail.Definition.<lambda>")]
    [InlineData("X: y\n   at Demo.Menu.<>c.<Definition>b__0_0(JsonNode n) in /src/Menu.cs:line 9", "Demo.Menu.Definition.<lambda>")]
    [InlineData("Error: boom\n    at sendEmail (/var/task/index.js:12:5)\n    at handler (/var/task/index.js:30:3)", "sendEmail (index.js)")]
    [InlineData("Error: boom\n    at file:///var/task/index.mjs:12:5", "<anonymous> (index.mjs)")]
    [InlineData("Traceback (most recent call last):\n  File \"/var/task/app.py\", line 10, in handler\n    send()\n  File \"/var/task/mail.py\", line 22, in send\n    raise X\nX: boom", "mail.py in send")]
    public void The_top_frame_has_no_line_numbers(string stack, string expected) =>
        Assert.Equal(expected, StackFrames.Top(stack));

    [Fact]
    public void Same_fault_with_other_ids_and_lines_has_the_same_fingerprint_and_different_faults_do_not()
    {
        Failure Make(string function, string type, string message, string stack) =>
            new(function, FailureKind.Error, type, MessageNormalizer.Normalize(message), StackFrames.Top(stack), message);

        var a = Make("send-email", "SmtpException", "Mailbox unavailable for 'a@x.com' (request 8812)", PaymentsScenario.Stack(41));
        var b = Make("send-email", "SmtpException", "Mailbox unavailable for 'zed@y.org' (request 17)", PaymentsScenario.Stack(97));
        var otherType = Make("send-email", "TimeoutException", "Mailbox unavailable for 'a@x.com' (request 8812)", PaymentsScenario.Stack(41));
        var otherFunction = Make("notify", "SmtpException", "Mailbox unavailable for 'a@x.com' (request 8812)", PaymentsScenario.Stack(41));
        var otherMessage = Make("send-email", "SmtpException", "Authentication failed", PaymentsScenario.Stack(41));

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.IssueId, b.IssueId);
        Assert.Matches("^[0-9a-f]{12}$", a.IssueId);
        Assert.Equal(5, new[] { a, otherType, otherFunction, otherMessage }.Select(f => f.IssueId).Append("x").Distinct().Count());
    }
}
