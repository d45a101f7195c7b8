using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Threadline.Sandbox.Protocol;

/// <summary>
/// Lets HTTP/1.1 and cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3) share the one endpoint: some SDK clients
/// (the JavaScript Kinesis client) open <c>http://</c> endpoints with HTTP/2. Kestrel in .NET 10 picks HTTP/1.1 for
/// every cleartext connection of an HTTP/1.1-and-2 endpoint unless the connection reports ALPN <c>h2</c>, so this
/// connection middleware peeks at the client preface and, when it is HTTP/2's, reports <c>h2</c> as if negotiated.
/// </summary>
internal static class CleartextHttp2
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
            var buffer = read.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var start = buffer.Slice(0, length).ToArray();
            var couldBeHttp2 = start.AsSpan().SequenceEqual(Preface.AsSpan(0, length));
            if (!couldBeHttp2 || length == Preface.Length || read.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                if (couldBeHttp2 && length == Preface.Length)
                {
                    connection.Features.Set<ITlsConnectionFeature>(new NegotiatedH2());
                    connection.Features.Set<ITlsApplicationProtocolFeature>(new NegotiatedH2());
                }

                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End); // part of a possible preface: wait for more bytes
        }

        await next(connection).ConfigureAwait(false);
    };

    private sealed class NegotiatedH2 : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
