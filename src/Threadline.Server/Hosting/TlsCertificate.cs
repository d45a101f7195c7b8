using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Threadline.Server.Hosting;

/// <summary>The TLS listener's certificate: a PEM certificate (chain) file and its PEM private key file.</summary>
internal static class TlsCertificate
{
    /// <summary>Loads the pair, or returns null and says in <paramref name="errors"/> what is wrong with it.</summary>
    public static X509Certificate2? TryLoad(string? certificatePath, string? keyPath, List<string> errors)
    {
        if (certificatePath is null && keyPath is null)
            return null;
        if (certificatePath is null || keyPath is null)
        {
            errors.Add("The TLS listener needs both --tls-cert and --tls-key (PEM files).");
            return null;
        }
        var missing = false;
        foreach (var (flag, path) in new[] { ("--tls-cert", certificatePath), ("--tls-key", keyPath) })
        {
            if (!File.Exists(path))
            {
                errors.Add($"{flag} '{path}' does not exist.");
                missing = true;
            }
        }
        if (missing)
            return null;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Export and re-import: on Linux a certificate whose key came from PEM is usable by SslStream either way,
            // but this also checks that the key belongs to the certificate and gives an independent copy.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"--tls-cert '{certificatePath}' / --tls-key '{keyPath}' are not a PEM certificate and its private key: {e.Message}");
            return null;
        }
    }
}
