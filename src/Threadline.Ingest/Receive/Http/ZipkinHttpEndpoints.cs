using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize.Zipkin;

namespace Threadline.Ingest.Receive.Http;

/// <summary>
/// <c>POST /api/v2/spans</c>: Zipkin v2 JSON, optionally gzip, with the OTLP/HTTP receiver's size limits and
/// queued-bytes budget. 202 once the spans are stored and stitched (as OTLP's 200); a malformed body is a 400 whose
/// <c>error</c> says where and what, and stores nothing.
/// </summary>
public static class ZipkinHttpEndpoints
{
    public const string Path = "/api/v2/spans";

    public static IEndpointConventionBuilder MapZipkin(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, (HttpContext context) => HandleAsync(context)).ExcludeFromDescription();

    private static async Task HandleAsync(HttpContext context)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, OtlpHttpError.UnsupportedMediaType(
                $"Unsupported Content-Type '{context.Request.ContentType}'; send Zipkin v2 JSON as application/json.")).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var budget = services.GetRequiredService<QueuedBytesBudget>();
        using var lease = budget.Open();
        var ingest = services.GetRequiredService<OtlpIngestService>();
        var (_, error) = await OtlpHttpBody.ReceiveAsync(context, budget, lease, async buffer =>
        {
            using var body = JsonBody.Parse(buffer, "The body");
            var request = JsonBody.Read(() => ZipkinSpanTranslator.Translate(body.RootElement), "The body");
            return await ingest.ExportTracesAsync(request, context.RequestAborted).ConfigureAwait(false);
        }, e => e is OtlpFormatException).ConfigureAwait(false);

        if (error is not null)
            await WriteAsync(context, error).ConfigureAwait(false);
        else
            context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task WriteAsync(HttpContext context, OtlpHttpError error)
    {
        if (error.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = error.HttpStatus;
        context.Response.ContentType = "application/json";
        var body = new System.IO.MemoryStream();
        await using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("error", error.Message);
            json.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
