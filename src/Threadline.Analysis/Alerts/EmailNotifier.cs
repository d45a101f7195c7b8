using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Threadline.Analysis.Alerts;

/// <summary>Sends the notification by e-mail over SMTP (MailKit): the one-line text as subject and body, with the link.</summary>
public sealed class EmailNotifier
{
    private const int MaxSubject = 160;

    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(channel.From!));
        foreach (var to in channel.To)
            message.To.Add(MailboxAddress.Parse(to));
        var subject = "[Threadline] " + notification.Text;
        message.Subject = subject.Length > MaxSubject ? subject[..(MaxSubject - 1)] + "…" : subject;
        message.Body = new TextPart("plain") { Text = $"{notification.Text}\r\n\r\n{notification.Link}\r\n" };

        using var client = new SmtpClient();
        await client.ConnectAsync(channel.SmtpHost!, channel.SmtpPort,
            channel.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
        if (channel.UserName is not null)
        {
            var password = channel.Password
                ?? (channel.PasswordEnvironmentVariable is null ? "" : Environment.GetEnvironmentVariable(channel.PasswordEnvironmentVariable) ?? "");
            await client.AuthenticateAsync(channel.UserName, password, cancellationToken).ConfigureAwait(false);
        }
        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }
}
