using Google.Protobuf;
using Threadline.Server.Api.Contracts;
using RpcStatus = Threadline.Ingest.Protocol.Rpc.Status;

namespace Threadline.Server.Security;

/// <summary>What a request without valid credentials gets, in the form its client understands.</summary>
internal static class UnauthenticatedResponses
{
    public const string SignInOrToken = "Sign in at /signin, or send an API token: 'Authorization: Bearer <token>' (create one with: threadline auth create-token NAME --kind api).";

    private const int UnauthenticatedCode = 16;
    private static readonly JsonFormatter StatusFormatter = new(JsonFormatter.Settings.Default);

    /// <summary>401 with a google.rpc.Status body (code 16), JSON or protobuf like the request, as OTLP/HTTP specifies for errors.</summary>
    public static async Task WriteOtlpHttpAsync(HttpContext context, string message)
    {
        var status = new RpcStatus { Code = UnauthenticatedCode, Message = message };
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer realm=\"threadline-ingest\"";
        // Lumigo's edge protocol is JSON whatever the request says.
        if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            || context.Request.Path.Equals(Ingest.Receive.Lumigo.LumigoEndpoints.Path, StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "application/json";
            await response.WriteAsync(StatusFormatter.Format(status), context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentType = "application/x-protobuf";
            await response.Body.WriteAsync(status.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A trailers-only gRPC response: HTTP 200 whose headers carry <c>grpc-status: 16</c> (UNAUTHENTICATED).</summary>
    public static void WriteGrpc(HttpResponse response, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = "16";
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    /// <summary>401 with the API's JSON error body.</summary>
    public static Task WriteApiAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"threadline\"";
        return context.Response.WriteAsJsonAsync(new ApiError(message), context.RequestAborted);
    }
}
