using System.Text.Json;

namespace Threadline.Server.Security;

/// <summary>
/// Reads and writes <c>auth.json</c> in the data folder. Writes go to a temporary file created with mode 0600,
/// flushed to disk, then renamed over the old file, so a reader (the running server) sees the old or the new
/// document, never half of one.
/// </summary>
public static class AuthFile
{
    public const string FileName = "auth.json";

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>The document, or <see cref="AuthDocument.Empty"/> when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid auth document.</exception>
    public static AuthDocument Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return AuthDocument.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return AuthDocument.Empty;
        }
        return Parse(bytes, path);
    }

    public static AuthDocument Parse(ReadOnlySpan<byte> json, string path)
    {
        AuthDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, AuthJsonContext.Default.AuthDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid Threadline auth file: {e.Message}", e);
        }
        if (document is null)
            throw new InvalidDataException($"{path} is not a valid Threadline auth file: it holds null.");
        if (document.Version != AuthDocument.CurrentVersion)
            throw new InvalidDataException($"{path} has version {document.Version}; this Threadline reads version {AuthDocument.CurrentVersion}.");
        if (document.Users.Any(u => u is null || string.IsNullOrEmpty(u.Name) || string.IsNullOrEmpty(u.PasswordHash))
            || document.Tokens.Any(t => t is null || string.IsNullOrEmpty(t.Name) || t.Sha256?.Length != 64))
            throw new InvalidDataException($"{path} is not a valid Threadline auth file: an entry lacks its name or hash.");
        var names = document.Users.Select(u => u.Name).Concat(document.Tokens.Select(t => t.Name)).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count() || document.Tokens.DistinctBy(t => t.Sha256).Count() != document.Tokens.Count)
            throw new InvalidDataException($"{path} is not a valid Threadline auth file: a name or token hash appears twice.");
        return document;
    }

    public static void Write(string path, AuthDocument document)
    {
        var directory = Path.GetDirectoryName(path)!;
        PrivateDirectory.Create(directory);
        var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():n}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, document, AuthJsonContext.Default.AuthDocument);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
