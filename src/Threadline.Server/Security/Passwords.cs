using Microsoft.AspNetCore.Identity;

namespace Threadline.Server.Security;

/// <summary>
/// Password hashes. ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (version 3 format): PBKDF2 with
/// HMAC-SHA512, 100,000 iterations, a random 128-bit salt and a 256-bit subkey. It is the framework's maintained
/// implementation rather than our own; the format records its algorithm and iteration count, so hashes written now
/// stay verifiable if a later version raises the count, and the count makes each guess cost ~0.1 s of CPU
/// (sign-in attempts are also throttled per client address).
/// </summary>
public static class Passwords
{
    public const int MinimumLength = 12;

    private static readonly PasswordHasher<LocalUser> Hasher = new();
    private static readonly LocalUser Anyone = new();

    // Verified against when the user name is unknown, so an unknown name takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(Anyone, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    /// <summary>Why the password is not acceptable, or null.</summary>
    public static string? Problem(string password) =>
        password.Length < MinimumLength ? $"The password must be at least {MinimumLength} characters long." : null;

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static bool Verify(string? hash, string password)
    {
        var result = Hasher.VerifyHashedPassword(Anyone, hash ?? DecoyHash.Value, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>The hasher's type argument; Threadline's users carry nothing it needs.</summary>
    private sealed class LocalUser;
}
