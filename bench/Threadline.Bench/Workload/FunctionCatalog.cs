using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;

namespace Threadline.Bench.Workload;

/// <summary>A Lambda function of the synthetic application, with the resource its tracer reports.</summary>
internal sealed record FunctionSpec(string Name, Resource Resource, InstrumentationScope Scope)
{
    public string Arn => $"arn:aws:lambda:{FunctionCatalog.Region}:{FunctionCatalog.Account}:function:{Name}";
}

/// <summary>The functions of the synthetic shop: entry points behind API Gateway and workers behind queues and streams.</summary>
internal static class FunctionCatalog
{
    public const string Region = "eu-west-1";
    public const string Account = "123456789012";

    public static readonly FunctionSpec[] Entries = [Create("orders-api"), Create("customers-api"), Create("catalog-api")];

    public static readonly FunctionSpec[] Workers =
    [
        Create("checkout"), Create("payments"), Create("inventory"), Create("shipping"), Create("send-email"),
        Create("audit-log"), Create("fraud-check"), Create("ledger"), Create("search-indexer"), Create("recommendations"),
        Create("receipts"), Create("thumbnailer"),
    ];

    private static FunctionSpec Create(string name)
    {
        var resource = new Resource();
        resource.Attributes.Add(Otlp.Str("service.name", name));
        resource.Attributes.Add(Otlp.Str("faas.name", name));
        resource.Attributes.Add(Otlp.Str("faas.version", "$LATEST"));
        resource.Attributes.Add(Otlp.Str("cloud.provider", "aws"));
        resource.Attributes.Add(Otlp.Str("cloud.platform", "aws_lambda"));
        resource.Attributes.Add(Otlp.Str("cloud.region", Region));
        resource.Attributes.Add(Otlp.Str("cloud.account.id", Account));
        resource.Attributes.Add(Otlp.Str("telemetry.sdk.name", "threadline"));
        resource.Attributes.Add(Otlp.Str("telemetry.sdk.language", "dotnet"));
        resource.Attributes.Add(Otlp.Str("telemetry.sdk.version", "0.1.0"));
        var scope = new InstrumentationScope { Name = "Threadline.Tracer", Version = "0.1.0" };
        return new FunctionSpec(name, resource, scope);
    }
}
