using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Threadline.Testing;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made for one test and written as the PEM pair the TLS
/// listener reads (<c>--tls-cert</c> / <c>--tls-key</c>); a client trusts exactly it (Node: <c>NODE_EXTRA_CA_CERTS</c>).
/// </summary>
public sealed class SelfSignedTls : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "threadline-tls-tests", Guid.NewGuid().ToString("n"));

    public SelfSignedTls()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=threadline-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Directory.CreateDirectory(_directory);
        CertificatePath = Path.Combine(_directory, "cert.pem");
        KeyPath = Path.Combine(_directory, "key.pem");
        File.WriteAllText(CertificatePath, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }
    public string CertificatePath { get; }
    public string KeyPath { get; }

    /// <summary>A client that accepts the server's certificate only if it is this one.</summary>
    public HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString(),
        },
    }) { BaseAddress = baseAddress };

    public void Dispose()
    {
        Certificate.Dispose();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
