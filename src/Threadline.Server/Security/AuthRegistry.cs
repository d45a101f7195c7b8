using System.Security.Claims;

namespace Threadline.Server.Security;

/// <summary>
/// The running server's view of <c>auth.json</c>: checks tokens and passwords against it. The file is looked at
/// (one stat) on every check and read again when it changed, so a token created or revoked by
/// <c>threadline auth</c> counts from the next request. A file that becomes unreadable or malformed keeps the last
/// good view and is logged; a deleted file means nobody is let in (authentication stays on until restart).
/// </summary>
public sealed class AuthRegistry(string path, ILogger<AuthRegistry> logger)
{
    public const string KindClaim = "threadline:kind";
    public const string StampClaim = "threadline:stamp";

    private readonly Lock _lock = new();
    private Snapshot _snapshot = Snapshot.Empty;
    private (DateTime WrittenAt, long Length)? _seen;

    public string FilePath { get; } = path;

    public AuthDocument Current => Refresh().Document;

    /// <summary>The identity of a valid token of that kind, or null.</summary>
    public ClaimsIdentity? Authenticate(string token, TokenKind kind, string scheme)
    {
        // A dictionary lookup by hash is safe against timing: the attacker cannot choose what the hash of a guess is.
        if (!Refresh().Tokens.TryGetValue(TokenSecrets.Hash(token), out var stored) || stored.Kind != kind)
            return null;
        return Identity(stored.Name, kind == TokenKind.Ingest ? "ingest-token" : "api-token", stamp: null, scheme);
    }

    /// <summary>The identity of the user if the password is right, or null (same time either way).</summary>
    public ClaimsIdentity? SignIn(string name, string password, string scheme)
    {
        Refresh().Users.TryGetValue(name, out var user);
        return Passwords.Verify(user?.PasswordHash, password) ? Identity(user!.Name, "user", user.Stamp, scheme) : null;
    }

    /// <summary>Whether a session's user still exists as it was at sign-in (not revoked, not replaced).</summary>
    public bool IsCurrent(ClaimsPrincipal principal) =>
        principal.Identity?.Name is { } name
        && Refresh().Users.TryGetValue(name, out var user)
        && string.Equals(principal.FindFirstValue(StampClaim), user.Stamp, StringComparison.Ordinal);

    private static ClaimsIdentity Identity(string name, string kind, string? stamp, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(KindClaim, kind) };
        if (stamp is not null)
            claims.Add(new Claim(StampClaim, stamp));
        return new ClaimsIdentity(claims, scheme);
    }

    private Snapshot Refresh()
    {
        var info = new FileInfo(FilePath);
        (DateTime, long)? now = info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        lock (_lock)
        {
            if (now == _seen)
                return _snapshot;
            try
            {
                _snapshot = new Snapshot(now is null ? AuthDocument.Empty : AuthFile.Read(FilePath));
                _seen = now;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                logger.LogError("{Path} could not be read; the previous users and tokens stay in force: {Reason}", FilePath, e.Message);
                _seen = now;
            }
            return _snapshot;
        }
    }

    private sealed class Snapshot(AuthDocument document)
    {
        public static readonly Snapshot Empty = new(AuthDocument.Empty);

        public AuthDocument Document { get; } = document;
        public Dictionary<string, StoredToken> Tokens { get; } = document.Tokens.ToDictionary(t => t.Sha256, StringComparer.Ordinal);
        public Dictionary<string, StoredUser> Users { get; } = document.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);
    }
}
