namespace Threadline.Analysis.Tests;

/// <summary>
/// The seeded run: six <c>POST /payments</c> requests (users by the <c>X-User-Id</c> header) and three <c>lunchbot</c>
/// schedule runs each send an e-mail through the <c>emails</c> queue; <c>send-email</c> fails (same SMTP fault, with
/// different addresses, ids and line numbers) for alice, bob, alice again, the VIP vera, and two lunchbot runs.
/// </summary>
internal static class PaymentsScenario
{
    public static readonly Fn Payments = new("payments-api");
    public static readonly Fn Lunchbot = new("lunchbot", MemoryMb: 512, Arch: "arm64");
    public static readonly Fn SendEmail = new("send-email", MemoryMb: 256);

    public const string Vip = "vip-vera";

    public static readonly string[] PaymentUsers = ["alice", "bob", "carol", "dave", "alice", Vip];
    public static readonly bool[] PaymentEmailFails = [true, true, false, false, true, true];
    public static readonly bool[] LunchbotEmailFails = [true, false, true];

    public static List<Inv> Build(DateTimeOffset now)
    {
        var all = new List<Inv>();
        var start = now.AddMinutes(-30);
        for (var i = 0; i < PaymentUsers.Length; i++)
        {
            var message = Guid.NewGuid().ToString();
            var at = start.AddMinutes(i * 3);
            all.Add(Payments.Invoke(at, 1500).Http("POST /payments", PaymentUsers[i]).SendsTo("emails", message));
            all.Add(Email(at.AddSeconds(2), message, PaymentEmailFails[i], i));
        }
        for (var i = 0; i < LunchbotEmailFails.Length; i++)
        {
            var message = Guid.NewGuid().ToString();
            var at = start.AddMinutes(1 + i * 5);
            all.Add(Lunchbot.Invoke(at, 200).Schedule("lunchbot-daily").SendsTo("emails", message));
            all.Add(Email(at.AddSeconds(2), message, LunchbotEmailFails[i], 10 + i));
        }
        return all;
    }

    private static Inv Email(DateTimeOffset at, string messageId, bool fails, int n)
    {
        var invocation = SendEmail.Invoke(at, 300).FromQueue("emails", messageId);
        return fails
            ? invocation.Throws("System.Net.Mail.SmtpException", $"Mailbox unavailable for 'user{n}@example.com' (request {8800 + n})", Stack(40 + n))
            : invocation;
    }

    public static string Stack(int line) =>
        $"System.Net.Mail.SmtpException: Mailbox unavailable\n   at Demo.Functions.SendEmail.DeliverAsync(Message m) in /src/SendEmail.cs:line {line}\n   at Demo.Functions.SendEmail.Handle(SQSEvent e) in /src/SendEmail.cs:line 12";
}
