using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.ApiGateway;

/// <summary>
/// API Gateway Lambda proxy integrations: HTTP requests under <c>/_apigw/{apiId}/</c> become proxy events
/// (format 1.0 for REST APIs, 2.0 for HTTP APIs) whose <c>requestContext.requestId</c> is returned to the caller
/// as <c>x-amzn-RequestId</c> (1.0) or <c>apigw-requestid</c> (2.0).
/// </summary>
public sealed class ApiGatewayService : IRestService
{
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly FunctionHost _functions;
    private readonly Func<Uri> _endpoint;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HttpApi> _apis = new(StringComparer.Ordinal);

    internal ApiGatewayService(Arns arns, TimeProvider time, FunctionHost functions, Func<Uri> endpoint)
    {
        _arns = arns;
        _time = time;
        _functions = functions;
        _endpoint = endpoint;
    }

    /// <summary>Creates an API; add routes to it with <see cref="HttpApi.Route"/>.</summary>
    public HttpApi CreateApi(string name, PayloadFormat format = PayloadFormat.V2)
    {
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 5));
        var api = new HttpApi(id, name, format, new Uri(_endpoint(), $"{AwsRouter.ApiGatewayPrefix.TrimStart('/')}{id}/"));
        lock (_lock)
        {
            _apis[id] = api;
        }

        return api;
    }

    async Task IRestService.HandleAsync(HttpContext http)
    {
        var rest = (http.Request.Path.Value ?? "")[AwsRouter.ApiGatewayPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var (apiId, path) = slash < 0 ? (rest, "/") : (rest[..slash], rest[slash..]);
        HttpApi? api;
        lock (_lock)
        {
            api = _apis.GetValueOrDefault(apiId);
        }

        var requestId = api?.Format == PayloadFormat.V2
            ? Convert.ToBase64String(Guid.NewGuid().ToByteArray().AsSpan(0, 10)).TrimEnd('=') + "=" // the HTTP API id shape, e.g. "JKJaXmPLvHcESHA="
            : Guid.NewGuid().ToString();
        http.Response.Headers[api?.Format == PayloadFormat.V2 ? "apigw-requestid" : "x-amzn-RequestId"] = requestId;
        if (api?.Match(http.Request.Method, path) is not { } match)
        {
            await WriteMessageAsync(http, 404, "Not Found").ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var @event = api.Format == PayloadFormat.V1
            ? V1Event(http, api, match.Route, match.PathParameters, path, body, requestId, now)
            : V2Event(http, api, match.Route, match.PathParameters, path, body, requestId, now);
        var result = await _functions.InvokeAsync(match.Route.FunctionName, @event).ConfigureAwait(false);
        if (result.Failed)
        {
            await WriteMessageAsync(http, 502, api.Format == PayloadFormat.V1 ? "Internal server error" : "Internal Server Error").ConfigureAwait(false);
            return;
        }

        await WriteResultAsync(http, api, result.Response).ConfigureAwait(false);
    }

    private static async Task WriteMessageAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(new JsonObject { ["message"] = message }.ToWire(), http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteResultAsync(HttpContext http, HttpApi api, JsonNode? response)
    {
        if (response is not JsonObject proxy || proxy["statusCode"] is null)
        {
            if (api.Format == PayloadFormat.V1)
            {
                await WriteMessageAsync(http, 502, "Internal server error").ConfigureAwait(false);
                return;
            }

            // HTTP APIs accept any JSON as the body of a 200 response.
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(response is JsonValue v && v.TryGetValue<string>(out var text) ? text : response?.ToWire() ?? "", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = proxy["statusCode"]!.GetValue<int>();
        foreach (var (name, value) in proxy["headers"] as JsonObject ?? [])
        {
            http.Response.Headers[name] = value?.ToString();
        }

        foreach (var (name, values) in proxy["multiValueHeaders"] as JsonObject ?? [])
        {
            http.Response.Headers[name] = (values as JsonArray ?? []).Select(v => v?.ToString()).ToArray();
        }

        var body = proxy["body"]?.GetValue<string>() ?? "";
        var bytes = proxy["isBase64Encoded"]?.GetValue<bool>() == true ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject? Query(HttpContext http, Func<string[], JsonNode> values) =>
        http.Request.Query.Count == 0
            ? null
            : new JsonObject(http.Request.Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)values([.. q.Value.OfType<string>()]))));

    private static JsonObject? PathParameters(Dictionary<string, string> parameters) =>
        parameters.Count == 0 ? null : new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    private static string RequestTime(DateTimeOffset now) => now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    private JsonObject V1Event(HttpContext http, HttpApi api, ApiRoute route, Dictionary<string, string> parameters, string path, string body, string requestId, DateTimeOffset now)
    {
        var request = http.Request;
        return new JsonObject
        {
            ["resource"] = route.Resource,
            ["path"] = path,
            ["httpMethod"] = request.Method,
            ["headers"] = new JsonObject(request.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value.ToString()))),
            ["multiValueHeaders"] = new JsonObject(request.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)new JsonArray([.. h.Value.Select(v => (JsonNode?)v)])))),
            ["queryStringParameters"] = Query(http, v => v[^1]),
            ["multiValueQueryStringParameters"] = Query(http, v => new JsonArray([.. v.Select(s => (JsonNode?)s)])),
            ["pathParameters"] = PathParameters(parameters),
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = _arns.AccountId,
                ["apiId"] = api.Id,
                ["resourceId"] = Convert.ToHexStringLower(BitConverter.GetBytes(route.RouteKey.GetHashCode(StringComparison.Ordinal))),
                ["resourcePath"] = route.Resource,
                ["stage"] = api.Stage,
                ["requestId"] = requestId,
                ["extendedRequestId"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray().AsSpan(0, 10)),
                ["requestTime"] = RequestTime(now),
                ["requestTimeEpoch"] = now.ToUnixTimeMilliseconds(),
                ["path"] = $"/{api.Stage}{path}",
                ["protocol"] = request.Protocol,
                ["httpMethod"] = request.Method,
                ["identity"] = new JsonObject { ["sourceIp"] = http.Connection.RemoteIpAddress?.ToString(), ["userAgent"] = request.Headers.UserAgent.ToString() },
                ["domainName"] = request.Host.Value,
                ["domainPrefix"] = api.Id,
            },
            ["body"] = body.Length == 0 ? null : body,
            ["isBase64Encoded"] = false,
        };
    }

    private JsonObject V2Event(HttpContext http, HttpApi api, ApiRoute route, Dictionary<string, string> parameters, string path, string body, string requestId, DateTimeOffset now)
    {
        var request = http.Request;
        var @event = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = route.RouteKey,
            ["rawPath"] = path,
            ["rawQueryString"] = request.QueryString.Value?.TrimStart('?') ?? "",
        };
        if (request.Cookies.Count > 0)
        {
            @event["cookies"] = new JsonArray([.. request.Cookies.Select(c => (JsonNode?)$"{c.Key}={c.Value}")]);
        }

        @event["headers"] = new JsonObject(request.Headers.Where(h => h.Key != "Cookie").Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), (JsonNode?)string.Join(',', h.Value.OfType<string>()))));
        @event["queryStringParameters"] = Query(http, v => string.Join(',', v));
        @event["pathParameters"] = PathParameters(parameters);
        @event["requestContext"] = new JsonObject
        {
            ["accountId"] = _arns.AccountId,
            ["apiId"] = api.Id,
            ["domainName"] = request.Host.Value,
            ["domainPrefix"] = api.Id,
            ["http"] = new JsonObject
            {
                ["method"] = request.Method,
                ["path"] = path,
                ["protocol"] = request.Protocol,
                ["sourceIp"] = http.Connection.RemoteIpAddress?.ToString(),
                ["userAgent"] = request.Headers.UserAgent.ToString(),
            },
            ["requestId"] = requestId,
            ["routeKey"] = route.RouteKey,
            ["stage"] = api.Stage,
            ["time"] = RequestTime(now),
            ["timeEpoch"] = now.ToUnixTimeMilliseconds(),
        };
        if (body.Length > 0)
        {
            @event["body"] = body;
        }

        @event["isBase64Encoded"] = false;
        foreach (var key in @event.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            @event.Remove(key);
        }

        return @event;
    }
}
