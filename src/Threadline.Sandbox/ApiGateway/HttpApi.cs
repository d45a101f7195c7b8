namespace Threadline.Sandbox.ApiGateway;

/// <summary>Which proxy event a route's function receives.</summary>
public enum PayloadFormat
{
    /// <summary>REST API proxy integration (format 1.0); responses carry <c>x-amzn-RequestId</c>.</summary>
    V1,

    /// <summary>HTTP API (format 2.0); responses carry <c>apigw-requestid</c>.</summary>
    V2,
}

/// <summary>An API with Lambda proxy routes, served under <see cref="Url"/>.</summary>
public sealed class HttpApi
{
    private readonly Lock _lock = new();
    private readonly List<ApiRoute> _routes = [];

    internal HttpApi(string id, string name, PayloadFormat format, Uri url)
    {
        Id = id;
        Name = name;
        Format = format;
        Url = url;
    }

    public string Id { get; }

    public string Name { get; }

    public PayloadFormat Format { get; }

    /// <summary>The base URL of the API: a route <c>POST /payments</c> is at <c>{Url}payments</c>.</summary>
    public Uri Url { get; }

    public string Stage => Format == PayloadFormat.V1 ? "prod" : "$default";

    /// <summary>Adds a route such as <c>POST /payments</c>, <c>GET /users/{id}</c>, <c>ANY /files/{proxy+}</c> or <c>$default</c>.</summary>
    public HttpApi Route(string routeKey, string functionName)
    {
        var route = ApiRoute.Parse(routeKey, functionName);
        lock (_lock)
        {
            _routes.Add(route);
        }

        return this;
    }

    internal (ApiRoute Route, Dictionary<string, string> PathParameters)? Match(string method, string path)
    {
        lock (_lock)
        {
            foreach (var route in _routes.OrderBy(r => r.Specificity))
            {
                if (route.Match(method, path) is { } parameters)
                {
                    return (route, parameters);
                }
            }
        }

        return null;
    }
}

/// <summary>A route: method (or ANY) and path template, integrated with a function.</summary>
internal sealed record ApiRoute(string RouteKey, string Method, string[] Template, string FunctionName)
{
    public string Resource => "/" + string.Join('/', Template);

    /// <summary>Literal routes win over parameters, parameters over greedy paths, and <c>$default</c> comes last.</summary>
    public int Specificity => RouteKey == "$default" ? int.MaxValue : Template.Count(t => t.StartsWith('{')) * 10 + (Template.Any(t => t.EndsWith("+}", StringComparison.Ordinal)) ? 1000 : 0) + (Method == "ANY" ? 1 : 0);

    public static ApiRoute Parse(string routeKey, string functionName)
    {
        if (routeKey == "$default")
        {
            return new ApiRoute(routeKey, "ANY", [], functionName);
        }

        var parts = routeKey.Split(' ', 2);
        if (parts.Length != 2 || !parts[1].StartsWith('/'))
        {
            throw new ArgumentException($"A route key is 'METHOD /path' or '$default': {routeKey}", nameof(routeKey));
        }

        return new ApiRoute(routeKey, parts[0].ToUpperInvariant(), parts[1].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries), functionName);
    }

    public Dictionary<string, string>? Match(string method, string path)
    {
        if (Method != "ANY" && Method != method)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (RouteKey == "$default")
        {
            return parameters;
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < Template.Length; i++)
        {
            var part = Template[i];
            if (part.StartsWith('{') && part.EndsWith("+}", StringComparison.Ordinal))
            {
                parameters[part[1..^2]] = string.Join('/', segments.Skip(i));
                return segments.Length > i ? parameters : null;
            }

            if (i >= segments.Length)
            {
                return null;
            }

            if (part.StartsWith('{'))
            {
                parameters[part[1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (part != segments[i])
            {
                return null;
            }
        }

        return segments.Length == Template.Length ? parameters : null;
    }
}
