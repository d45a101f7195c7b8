using System.Globalization;
using Grpc.Core;
using Threadline.Ingest.Decode;
using TelemetryRejectedException = Threadline.Telemetry.TelemetryRejectedException;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>Maps ingest failures to the gRPC status codes OTLP exporters understand.</summary>
internal static class GrpcErrors
{
    /// <summary>
    /// Runs the export holding <paramref name="bytes"/> of the queued-bytes budget (the message's size), or refuses
    /// it with UNAVAILABLE when the budget is spent.
    /// </summary>
    public static async Task Translate(QueuedBytesBudget budget, long bytes, Func<ValueTask<int>> export)
    {
        if (!budget.TryReserve(bytes))
            throw Unavailable(budget.BusyMessage(bytes), budget.RetryAfter);
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
            throw Unavailable(e.Message, e.RetryAfter);
        }
        finally
        {
            budget.Release(bytes);
        }
    }

    /// <summary>UNAVAILABLE is retryable for OTLP exporters; the retry delay goes in trailing metadata as well.</summary>
    private static RpcException Unavailable(string message, TimeSpan retryAfter)
    {
        var trailers = new Metadata { { "retry-after", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture) } };
        return new RpcException(new Status(StatusCode.Unavailable, message), trailers);
    }
}
