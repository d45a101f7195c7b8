using System.Threading.RateLimiting;

namespace Threadline.Server.Security;

/// <summary>
/// At most <see cref="AttemptsPerMinute"/> sign-in attempts a minute from one client address, so passwords cannot
/// be guessed at the speed of the password hash (and the hash cannot be used to burn the server's CPU).
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int AttemptsPerMinute = 10;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = AttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAttempt(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
