using Threadline.Testing;

namespace Threadline.Server.Tests;

/// <summary>The TLS listener's configuration: every problem with the certificate and key is reported at once, before the start.</summary>
public sealed class TlsOptionsTests
{
    [Fact]
    public void Missing_files_a_key_without_a_certificate_and_a_clashing_port_are_all_reported()
    {
        var missing = new ThreadlineServerOptions { DataDirectory = "data", TlsCertificatePath = "/nonexistent/cert.pem", TlsKeyPath = "/nonexistent/key.pem", TlsPort = 4318 };
        Assert.Equal(
            [
                "The TLS port must differ from the API, OTLP/HTTP, OTLP/gRPC and Zipkin ports (got 4318).",
                "--tls-cert '/nonexistent/cert.pem' does not exist.",
                "--tls-key '/nonexistent/key.pem' does not exist.",
            ],
            missing.Validate());

        var keyOnly = new ThreadlineServerOptions { DataDirectory = "data", TlsKeyPath = "/nonexistent/key.pem" };
        Assert.Equal(["The TLS listener needs both --tls-cert and --tls-key (PEM files)."], keyOnly.Validate());
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_refused_and_a_matching_pair_accepted()
    {
        using var tls = new SelfSignedTls();
        using var other = new SelfSignedTls();
        Assert.Empty(new ThreadlineServerOptions { DataDirectory = "data", TlsCertificatePath = tls.CertificatePath, TlsKeyPath = tls.KeyPath }.Validate());

        var mismatched = new ThreadlineServerOptions { DataDirectory = "data", TlsCertificatePath = tls.CertificatePath, TlsKeyPath = other.KeyPath };
        var error = Assert.Single(mismatched.Validate());
        Assert.StartsWith($"--tls-cert '{tls.CertificatePath}' / --tls-key '{other.KeyPath}' are not a PEM certificate and its private key", error, StringComparison.Ordinal);

        var notPem = new ThreadlineServerOptions { DataDirectory = "data", TlsCertificatePath = tls.KeyPath, TlsKeyPath = tls.KeyPath };
        Assert.Contains("are not a PEM certificate and its private key", Assert.Single(notPem.Validate()), StringComparison.Ordinal);
    }
}
