using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Receive.Http;

namespace Threadline.Ingest.Receive.Lumigo;

/// <summary>
/// <c>POST /api/spans</c> as the Lumigo tracers' edge answers it: a JSON array of spans (or a zipped bulk), the ingest
/// token in <c>Authorization</c>. Errors are a google.rpc.Status JSON body like the OTLP/HTTP receiver's.
/// </summary>
public static class LumigoEndpoints
{
    public const string Path = "/api/spans";

    public static IEndpointConventionBuilder MapLumigo(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, HandleAsync).ExcludeFromDescription();

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<OtlpReceiverOptions>>().Value;
        var budget = services.GetRequiredService<QueuedBytesBudget>();
        using var lease = budget.Open();
        var ingest = services.GetRequiredService<LumigoIngestService>();
        var (result, error) = await OtlpHttpBody.ReceiveAsync(context, budget, lease,
            body => ingest.ExportAsync(body, options.MaxRequestBytes, context.RequestAborted).AsTask(), e => e is LumigoFormatException).ConfigureAwait(false);

        if (error is not null)
        {
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(new Accepted(result!.Accepted, result.Rejected), LumigoJsonContext.Default.Accepted, cancellationToken: context.RequestAborted)
            .ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, OtlpHttpError error)
    {
        if (error.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = error.HttpStatus;
        await context.Response.WriteAsJsonAsync(new Failure(error.GrpcCode, error.Message), LumigoJsonContext.Default.Failure, cancellationToken: context.RequestAborted)
            .ConfigureAwait(false);
    }

    internal sealed record Accepted(int AcceptedSpans, IReadOnlyList<string> RejectedSpans);

    internal sealed record Failure(int Code, string Message);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(LumigoEndpoints.Accepted))]
[System.Text.Json.Serialization.JsonSerializable(typeof(LumigoEndpoints.Failure))]
internal sealed partial class LumigoJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
