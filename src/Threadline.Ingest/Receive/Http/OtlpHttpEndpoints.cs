using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Collector.Trace;
using RpcStatus = Threadline.Ingest.Protocol.Rpc.Status;

namespace Threadline.Ingest.Receive.Http;

/// <summary>Maps the OTLP/HTTP endpoints: <c>POST /v1/traces</c> and <c>POST /v1/logs</c>, protobuf or JSON.</summary>
public static class OtlpHttpEndpoints
{
    private static readonly JsonFormatter ResponseFormatter = new(JsonFormatter.Settings.Default);

    public static RouteGroupBuilder MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").ExcludeFromDescription();
        group.MapPost("/traces", (HttpContext context) => HandleAsync(context, ExportTracesAsync, new ExportTraceServiceResponse()));
        group.MapPost("/logs", (HttpContext context) => HandleAsync(context, ExportLogsAsync, new ExportLogsServiceResponse()));
        return group;
    }

    private static ValueTask<int> ExportTracesAsync(OtlpIngestService ingest, ReadOnlyMemory<byte> body, OtlpEncoding encoding, CancellationToken ct) =>
        ingest.ExportTracesAsync(OtlpDecoder.DecodeTraces(body, encoding), ct);

    private static ValueTask<int> ExportLogsAsync(OtlpIngestService ingest, ReadOnlyMemory<byte> body, OtlpEncoding encoding, CancellationToken ct) =>
        ingest.ExportLogsAsync(OtlpDecoder.DecodeLogs(body, encoding), ct);

    private delegate ValueTask<int> Export(OtlpIngestService ingest, ReadOnlyMemory<byte> body, OtlpEncoding encoding, CancellationToken ct);

    private static async Task HandleAsync(HttpContext context, Export export, IMessage success)
    {
        var request = context.Request;
        var encodingError = OtlpHttpBody.TryGetEncoding(request, out var encoding);
        if (encodingError is not null)
        {
            await WriteErrorAsync(context, encodingError, OtlpEncoding.Json).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var budget = services.GetRequiredService<QueuedBytesBudget>();
        // The read holds what its buffers take in the budget (decompressed), the first one before any byte is read, so
        // that an overloaded server refuses cheaply; the request gives it back once answered.
        using var lease = budget.Open();
        var ingest = services.GetRequiredService<OtlpIngestService>();
        var (_, error) = await OtlpHttpBody.ReceiveAsync(context, budget, lease,
            body => export(ingest, body, encoding, context.RequestAborted).AsTask(), e => e is OtlpFormatException).ConfigureAwait(false);
        if (error is not null)
            await WriteErrorAsync(context, error, encoding).ConfigureAwait(false);
        else
            await WriteMessageAsync(context, StatusCodes.Status200OK, success, encoding).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, OtlpHttpError error, OtlpEncoding encoding)
    {
        if (error.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteMessageAsync(context, error.HttpStatus, new RpcStatus { Code = error.GrpcCode, Message = error.Message }, encoding);
    }

    private static async Task WriteMessageAsync(HttpContext context, int status, IMessage message, OtlpEncoding encoding)
    {
        context.Response.StatusCode = status;
        if (encoding == OtlpEncoding.Json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ResponseFormatter.Format(message), context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
        }
    }
}
