using System.Globalization;
using Grpc.Core;
using Threadline.Ingest.Decode;
using TelemetryRejectedException = Threadline.Telemetry.TelemetryRejectedException;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>Maps ingest failures to the gRPC status codes OTLP exporters understand.</summary>
internal static class GrpcErrors
{
    public static async Task Translate(Func<ValueTask<int>> export)
    {
        try
        {
            await export().ConfigureAwait(false);
        }
        catch (OtlpFormatException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (TelemetryRejectedException e)
        {
            // UNAVAILABLE is retryable for OTLP exporters; the retry delay goes in trailing metadata as well.
            var trailers = new Metadata { { "retry-after", ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture) } };
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message), trailers);
        }
    }
}
