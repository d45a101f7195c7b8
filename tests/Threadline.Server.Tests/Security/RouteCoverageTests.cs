using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Hosting;

namespace Threadline.Server.Tests.Security;

/// <summary>
/// Every endpoint the server maps, on every listener, asked without credentials: the OTLP/HTTP and Zipkin ones answer 401
/// with a google.rpc.Status, the gRPC ones UNAUTHENTICATED, the API's JSON, OpenAPI and Blazor hub 401 JSON, and
/// pages and their files redirect to /signin. Only the sign-in page and its stylesheet are open.
/// </summary>
[Collection(SecuredServerCollection.Name)]
public sealed class RouteCoverageTests(SecuredServer fixture)
{
    /// <summary>The endpoints open without credentials, and why: all a browser needs to sign in.</summary>
    private static readonly HashSet<(string Method, string Path)> Open =
    [
        ("GET", "/signin"),    // the sign-in form
        ("POST", "/signin"),   // its submission (antiforgery-checked, throttled)
        ("GET", "/signin.css"), // its stylesheet
    ];

    private static readonly string[] MachinePaths = ["/api", "/openapi", "/_blazor"];

    [Fact]
    public async Task Every_route_on_every_listener_refuses_a_request_without_credentials()
    {
        var ct = TestContext.Current.CancellationToken;
        var routes = Routes();
        Assert.True(routes.Count > 100, $"Only {routes.Count} routes were found; the product's modules should map more.");
        Assert.Contains(routes, r => r.Listener == Listener.OtlpGrpc);
        Assert.Contains(routes, r => r.Listener == Listener.OtlpHttp);
        Assert.Contains(routes, r => r.Listener == Listener.OtlpHttp && r.Method == "POST" && r.Path == "/api/spans"); // Lumigo's edge protocol
        Assert.Contains(routes, r => r.Listener == Listener.Zipkin && r.Path == "/api/v2/spans");
        Assert.Contains(routes, r => r.Path.StartsWith("/api/issues", StringComparison.Ordinal)); // the analysis module's
        Assert.Contains(routes, r => r.Path.StartsWith("/_blazor", StringComparison.Ordinal));   // the web UI's hub
        Assert.Contains(routes, r => r.Path == "/transactions/1");                                // a web UI page
        Assert.Contains(routes, r => r.Path.StartsWith("/_content/", StringComparison.Ordinal)); // static files
        Assert.Equal(Open.Order(), routes.Where(r => r.AllowsAnonymous).Select(r => (r.Method, r.Path)).Order());

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        var failures = new List<string>();
        foreach (var route in routes.Where(r => !Open.Contains((r.Method, r.Path))))
        {
            var problem = await CheckAsync(http, route, ct);
            if (problem is not null)
                failures.Add($"{route.Listener} {route.Method} {route.Path}: {problem}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {routes.Count} routes answered without credentials:\n" + string.Join("\n", failures));

        foreach (var (method, path) in Open)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.ApiAddress, path)), ct);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        }
    }

    private async Task<string?> CheckAsync(HttpClient http, Route route, CancellationToken ct)
    {
        switch (route.Listener)
        {
            case Listener.OtlpGrpc:
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.OtlpGrpcAddress, route.Path))
                {
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    Content = new ByteArrayContent([0, 0, 0, 0, 0]),
                };
                request.Content.Headers.ContentType = new("application/grpc");
                using var response = await http.SendAsync(request, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                var status = response.Headers.TryGetValues("grpc-status", out var values) ? values.Single()
                    : response.TrailingHeaders.TryGetValues("grpc-status", out var trailers) ? trailers.Single() : null;
                return status == "16" ? null : $"grpc-status {status ?? "(none)"}, HTTP {(int)response.StatusCode}";
            }
            case Listener.OtlpHttp or Listener.Zipkin:
            {
                var zipkin = route.Listener == Listener.Zipkin;
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(zipkin ? fixture.ZipkinAddress : fixture.OtlpHttpAddress, route.Path))
                {
                    Content = new StringContent(zipkin ? "[]" : """{"resourceSpans":[]}""", System.Text.Encoding.UTF8, "application/json"),
                };
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                    return $"HTTP {(int)response.StatusCode}";
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                return body.RootElement.GetProperty("code").GetInt32() == 16 ? null : "the body is not a google.rpc.Status with code 16";
            }
            default:
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(fixture.ApiAddress, route.Path));
                if (route.Method is "POST" or "PUT" or "PATCH")
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await http.SendAsync(request, ct);
                var isPage = route.Method is "GET" or "HEAD" && !MachinePaths.Any(p => route.Path.StartsWith(p, StringComparison.OrdinalIgnoreCase));
                if (isPage)
                {
                    var location = response.Headers.Location?.ToString() ?? "";
                    return response.StatusCode == HttpStatusCode.Found && location.Contains("/signin?returnUrl=", StringComparison.Ordinal)
                        ? null : $"HTTP {(int)response.StatusCode} {location}, not a redirect to /signin";
                }
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                    return $"HTTP {(int)response.StatusCode}";
                if (route.Method == "HEAD")
                    return null;
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                return body.RootElement.TryGetProperty("error", out _) ? null : "the 401 body is not the API's JSON error";
            }
        }
    }

    /// <summary>Every route endpoint of the app, one concrete request per method (parameters filled with "1").</summary>
    private List<Route> Routes()
    {
        var endpoints = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        Assert.All(endpoints, e => Assert.IsType<RouteEndpoint>(e));
        return endpoints.Cast<RouteEndpoint>()
            .SelectMany(e =>
            {
                var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
                var listener = e.Metadata.GetMetadata<ServedOn>()?.Listener ?? Listener.Api;
                var open = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                return methods.Select(method => new Route(listener, method, Concrete(e.RoutePattern), open));
            })
            .DistinctBy(r => (r.Listener, r.Method, r.Path))
            .ToList();
    }

    private static string Concrete(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "1",
        }))));

    private sealed record Route(Listener Listener, string Method, string Path, bool AllowsAnonymous);
}
