using Microsoft.AspNetCore.Http;

namespace Threadline.Ingest.Receive.Http;

/// <summary>An OTLP/HTTP failure: the HTTP status, the gRPC code for the google.rpc.Status body, and why.</summary>
internal sealed record OtlpHttpError(int HttpStatus, int GrpcCode, string Message, TimeSpan? RetryAfter = null)
{
    private const int InvalidArgumentCode = 3;
    private const int ResourceExhaustedCode = 8;
    private const int UnavailableCode = 14;

    public static OtlpHttpError BadRequest(string message) => new(StatusCodes.Status400BadRequest, InvalidArgumentCode, message);

    public static OtlpHttpError TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, ResourceExhaustedCode, message);

    public static OtlpHttpError UnsupportedMediaType(string message) => new(StatusCodes.Status415UnsupportedMediaType, InvalidArgumentCode, message);

    public static OtlpHttpError Unavailable(string message, TimeSpan retryAfter) =>
        new(StatusCodes.Status503ServiceUnavailable, UnavailableCode, message, retryAfter);
}
