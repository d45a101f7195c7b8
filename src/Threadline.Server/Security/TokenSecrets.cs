using System.Security.Cryptography;
using System.Text;

namespace Threadline.Server.Security;

/// <summary>
/// Tokens: 256 random bits, base64url, behind a prefix naming the kind (<c>tl_ingest_…</c>, <c>tl_api_…</c>) so a
/// leaked one is recognisable. Only the SHA-256 of the whole token is stored: with 256 bits of entropy a fast hash
/// is enough (no guess can succeed), and it lets a request be checked with one lookup.
/// </summary>
public static class TokenSecrets
{
    public static string Prefix(TokenKind kind) => kind == TokenKind.Ingest ? "tl_ingest_" : "tl_api_";

    public static string Create(TokenKind kind) =>
        Prefix(kind) + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// An ingest token the Lumigo tracers accept: they switch themselves off unless the token is <c>t_</c> and 15-100
    /// lowercase letters or digits, so the same 256 random bits are spelled in hex behind their prefix.
    /// </summary>
    public static string CreateLumigo() => "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
