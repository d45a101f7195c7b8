using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Threadline.Sandbox.Protocol;

/// <summary>
/// Routes every request on the one endpoint to its service the way AWS tells them apart: the
/// <c>X-Amz-Target</c> prefix (JSON protocols), the Lambda REST path, the query protocol's <c>Action</c>
/// with the signature's credential scope, the API Gateway path prefix, and S3 for everything else.
/// </summary>
internal sealed partial class AwsRouter(
    IEnumerable<IJsonService> jsonServices,
    IQueryService queryService,
    IRestService lambda,
    IRestService apiGateway,
    IRestService s3)
{
    public const string ApiGatewayPrefix = "/_apigw/";

    private readonly Dictionary<string, IJsonService> _byTarget = jsonServices.ToDictionary(s => s.TargetPrefix, StringComparer.Ordinal);

    public async Task RouteAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith(ApiGatewayPrefix, StringComparison.Ordinal))
        {
            await apiGateway.HandleAsync(http).ConfigureAwait(false);
        }
        else if (request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } target)
        {
            await HandleJsonAsync(http, target).ConfigureAwait(false);
        }
        else if (path.StartsWith("/2015-03-31/", StringComparison.Ordinal))
        {
            await lambda.HandleAsync(http).ConfigureAwait(false);
        }
        else if (request.HasFormContentType && (ScopeService(request) is "sns" || (ScopeService(request) is null && path == "/")))
        {
            await HandleQueryAsync(http).ConfigureAwait(false);
        }
        else
        {
            await s3.HandleAsync(http).ConfigureAwait(false);
        }
    }

    /// <summary>The service name of the SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    public static string? ScopeService(HttpRequest request)
    {
        var match = CredentialScope().Match(request.Headers.Authorization.ToString());
        return match.Success ? match.Groups["service"].Value : null;
    }

    public static AwsCall CallOf(HttpContext http, string requestId) => new(
        requestId,
        http.Request.Headers["X-Amzn-Trace-Id"].ToString() is { Length: > 0 } trace ? trace : null);

    private async Task HandleJsonAsync(HttpContext http, string target)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !_byTarget.TryGetValue(target[..dot], out var service))
        {
            await WriteJsonErrorAsync(http, "application/x-amz-json-1.1", "", new AwsException("UnknownOperationException", $"Unknown target {target}")).ConfigureAwait(false);
            return;
        }

        try
        {
            var input = await JsonNode.ParseAsync(http.Request.Body).ConfigureAwait(false) as JsonObject ?? [];
            var output = await service.HandleAsync(target[(dot + 1)..], input, CallOf(http, requestId), http.RequestAborted).ConfigureAwait(false);
            http.Response.ContentType = service.ContentType;
            await http.Response.WriteAsync(output.ToWire(), http.RequestAborted).ConfigureAwait(false);
        }
        catch (AwsException e)
        {
            await WriteJsonErrorAsync(http, service.ContentType, service.ErrorTypePrefix, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            await WriteJsonErrorAsync(http, service.ContentType, service.ErrorTypePrefix, new AwsException("SerializationException", e.Message)).ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonErrorAsync(HttpContext http, string contentType, string typePrefix, AwsException error)
    {
        http.Response.StatusCode = error.StatusCode;
        http.Response.ContentType = contentType;
        // awsQueryCompatible clients (SQS) read the legacy error code from this header.
        http.Response.Headers["x-amzn-query-error"] = $"{error.Code};{(error.IsSenderFault ? "Sender" : "Receiver")}";
        var body = new JsonObject { ["__type"] = typePrefix + error.Code, ["message"] = error.Message };
        await http.Response.WriteAsync(body.ToWire(), http.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleQueryAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        http.Response.ContentType = "text/xml";
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var parameters = form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var action = parameters.GetValueOrDefault("Action") ?? "";
        string xml;
        try
        {
            xml = QueryXml.Response(queryService.XmlNamespace, action, queryService.Handle(action, parameters, CallOf(http, requestId)), requestId);
        }
        catch (AwsException e)
        {
            http.Response.StatusCode = e.StatusCode;
            xml = QueryXml.Error(queryService.XmlNamespace, e, requestId);
        }

        await http.Response.WriteAsync(xml, Encoding.UTF8, http.RequestAborted).ConfigureAwait(false);
    }

    [GeneratedRegex(@"Credential=[^/]*/[^/]*/[^/]*/(?<service>[^/]*)/aws4_request")]
    private static partial Regex CredentialScope();
}

/// <summary>A service spoken over REST paths (Lambda, S3, API Gateway routes).</summary>
internal interface IRestService
{
    Task HandleAsync(HttpContext http);
}
