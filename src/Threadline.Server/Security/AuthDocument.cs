using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadline.Server.Security;

/// <summary>
/// The content of <c>auth.json</c> in the data folder: local users and tokens, secrets only as hashes.
/// Names are unique across users and tokens, so <c>threadline auth revoke NAME</c> is never ambiguous.
/// </summary>
public sealed record AuthDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public IReadOnlyList<StoredUser> Users { get; init; } = [];
    public IReadOnlyList<StoredToken> Tokens { get; init; } = [];

    public static AuthDocument Empty { get; } = new();

    /// <summary>Whether anything could authenticate: the rule that turns authentication on.</summary>
    [JsonIgnore]
    public bool HasCredentials => Users.Count > 0 || Tokens.Count > 0;

    public bool Contains(string name) =>
        Users.Any(u => string.Equals(u.Name, name, StringComparison.Ordinal)) || Tokens.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}

/// <summary>A local user: the password as a <see cref="Passwords"/> hash; the stamp changes when the user is replaced, ending old sessions.</summary>
public sealed record StoredUser(string Name, string PasswordHash, string Stamp, DateTimeOffset Created);

/// <summary>A token: only the SHA-256 of the token (lowercase hex) is kept; the token itself is printed once at creation.</summary>
public sealed record StoredToken(string Name, TokenKind Kind, string Sha256, DateTimeOffset Created);

[JsonConverter(typeof(JsonStringEnumConverter<TokenKind>))]
public enum TokenKind
{
    /// <summary>Sends telemetry to the OTLP listeners; reads nothing.</summary>
    [JsonStringEnumMemberName("ingest")]
    Ingest,

    /// <summary>Reads and calls the JSON API, like a signed-in user, for scripts.</summary>
    [JsonStringEnumMemberName("api")]
    Api,
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(AuthDocument))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
