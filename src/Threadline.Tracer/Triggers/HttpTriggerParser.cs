using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>API Gateway REST (payload 1.0), HTTP API (payload 2.0) and function URL events.</summary>
internal static class HttpTriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var context = root.Prop("requestContext")!.Value;
        var isV2 = root.Str("version") == "2.0" || context.Prop("http") is { ValueKind: JsonValueKind.Object };
        var domain = context.Str("domainName") ?? "";
        var kind = !isV2 ? TriggerKinds.ApiGateway
            : domain.Contains(".lambda-url.", StringComparison.Ordinal) ? TriggerKinds.FunctionUrl
            : TriggerKinds.ApiGatewayV2;
        var builder = new TriggerBuilder(kind, TriggerKinds.Http)
        {
            Resource = kind switch
            {
                TriggerKinds.ApiGateway => Route(root.Str("httpMethod") ?? context.Str("httpMethod"), root.Str("resource") ?? context.Str("resourcePath")),
                TriggerKinds.FunctionUrl => domain,
                _ => context.Str("routeKey") ?? root.Str("routeKey"),
            },
        };
        builder.Key(context.Str("requestId") is { } id ? CorrelationKeys.ApiGatewayRequest(id) : null);
        builder.TraceParent(Header(root, "traceparent"), null);
        builder.XRay(Header(root, "x-amzn-trace-id"), null);
        return builder.Build();
    }

    private static string? Route(string? method, string? resource) =>
        resource is null ? method : method is null ? resource : $"{method} {resource}";

    private static string? Header(JsonElement root, string name)
    {
        var value = root.Prop("headers")?.Prop(name);
        if (value is { ValueKind: JsonValueKind.String })
            return value.Value.GetString();
        return root.Prop("multiValueHeaders")?.Prop(name) is { ValueKind: JsonValueKind.Array } values
            ? values.EnumerateArray().Select(v => v.GetString()).FirstOrDefault()
            : null;
    }
}
