using System.Threading.RateLimiting;

namespace Threadline.Server.Security;

/// <summary>
/// After <see cref="FailuresPerMinute"/> failed sign-ins from one client address in a minute, further attempts from
/// it are refused until the minute is over, before the password is checked: passwords cannot be guessed at the
/// speed of the hash, and the hash cannot be used to burn the server's CPU. Successful sign-ins do not count.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int FailuresPerMinute = 10;

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool IsBlocked(HttpContext context)
    {
        // Zero permits asks whether any are left without taking one.
        using var lease = _failures.AttemptAcquire(Address(context), permitCount: 0);
        return !lease.IsAcquired;
    }

    public void RecordFailure(HttpContext context) => _failures.AttemptAcquire(Address(context)).Dispose();

    public void Dispose() => _failures.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
