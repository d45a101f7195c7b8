using System.Security.Cryptography;
using System.Text;

namespace Threadline.Analysis.Issues;

/// <summary>
/// Why one invocation failed, reduced to what groups it: function, error type, normalized message, top frame.
/// <see cref="Message"/> is the first raw message, for display.
/// </summary>
public sealed record Failure(string Function, FailureKind Kind, string ErrorType, string NormalizedMessage, string? TopFrame, string Message)
{
    /// <summary>The grouping key, readable: <c>function | error type | normalized message | top frame</c>.</summary>
    public string Fingerprint => $"{Function} | {ErrorType} | {NormalizedMessage} | {TopFrame ?? "-"}";

    /// <summary>The issue id: the first 12 hex digits of SHA-256 over the fingerprint, stable across restarts.</summary>
    public string IssueId => IdOf(Fingerprint);

    public static string IdOf(string fingerprint) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)).AsSpan(0, 6)).ToLowerInvariant();
}
