namespace Threadline.Server.Security;

/// <summary>
/// The changes <c>threadline auth</c> makes to <c>auth.json</c>: each reads the file, changes it and writes it back
/// atomically under an exclusive lock file, so two commands at once cannot lose each other's change. A running
/// server notices the new file at its next request.
/// </summary>
public sealed class AuthStore(string dataDirectory, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string FilePath { get; } = AuthFile.PathIn(dataDirectory);

    public AuthDocument Read() => AuthFile.Read(FilePath);

    /// <exception cref="AuthStoreException">The name or password is not acceptable, or the name is taken.</exception>
    public void AddUser(string name, string password)
    {
        Throw(AccountNames.Problem(name) ?? Passwords.Problem(password));
        var hash = Passwords.Hash(password);
        Update(document =>
        {
            ThrowIfTaken(document, name);
            var stamp = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            return document with { Users = [.. document.Users, new StoredUser(name, hash, stamp, _time.GetUtcNow())] };
        });
    }

    /// <summary>Creates a token and returns it: the only time it exists outside the client that will use it.</summary>
    public string CreateToken(string name, TokenKind kind, bool lumigoFormat = false)
    {
        Throw(AccountNames.Problem(name));
        if (lumigoFormat && kind != TokenKind.Ingest)
            throw new AuthStoreException("Only ingest tokens can have the Lumigo form.");
        var token = lumigoFormat ? TokenSecrets.CreateLumigo() : TokenSecrets.Create(kind);
        Update(document =>
        {
            ThrowIfTaken(document, name);
            return document with { Tokens = [.. document.Tokens, new StoredToken(name, kind, TokenSecrets.Hash(token), _time.GetUtcNow())] };
        });
        return token;
    }

    /// <summary>Removes the user or token of that name; its sessions and requests are refused from then on.</summary>
    public void Revoke(string name) => Update(document =>
    {
        if (!document.Contains(name))
            throw new AuthStoreException($"No user or token is named '{name}' in {FilePath}.");
        return document with
        {
            Users = document.Users.Where(u => !string.Equals(u.Name, name, StringComparison.Ordinal)).ToList(),
            Tokens = document.Tokens.Where(t => !string.Equals(t.Name, name, StringComparison.Ordinal)).ToList(),
        };
    });

    private void Update(Func<AuthDocument, AuthDocument> change)
    {
        using var _ = AcquireLock();
        AuthDocument current;
        try
        {
            current = Read();
        }
        catch (InvalidDataException e)
        {
            throw new AuthStoreException(e.Message);
        }
        AuthFile.Write(FilePath, change(current));
    }

    private FileStream AcquireLock()
    {
        var path = FilePath + ".lock";
        PrivateDirectory.Create(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                // The lock file stays: deleting it on close would let a third command lock a new file while a second still holds the old one.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50); // Another `threadline auth` command is writing; it takes milliseconds.
            }
            catch (IOException e)
            {
                throw new AuthStoreException($"{path} stayed locked by another threadline auth command: {e.Message}");
            }
        }
    }

    private void ThrowIfTaken(AuthDocument document, string name)
    {
        if (document.Contains(name))
            throw new AuthStoreException($"A user or token named '{name}' already exists in {FilePath}; revoke it first or choose another name.");
    }

    private static void Throw(string? problem)
    {
        if (problem is not null)
            throw new AuthStoreException(problem);
    }
}

/// <summary>A change to the auth file that cannot be made, with a message for the person who asked.</summary>
public sealed class AuthStoreException(string message) : Exception(message);
