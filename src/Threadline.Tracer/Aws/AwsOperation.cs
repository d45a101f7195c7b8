using System.Diagnostics;
using Amazon.Runtime;
using Threadline.Tracer.Correlation;

namespace Threadline.Tracer.Aws;

/// <summary>Service, operation and resource of one AWS call, read generically from the request context.</summary>
internal sealed record AwsOperation(string Service, string Operation, string? Resource)
{
    private static readonly HashSet<string> SecretServices = new(StringComparer.OrdinalIgnoreCase)
    {
        "Secrets Manager", "SecretsManager", "SSM", "KMS", "STS",
    };

    public string SpanName => $"{Service}.{Operation}";

    public ActivityKind Kind =>
        Operation.StartsWith("Send", StringComparison.Ordinal) || Operation.StartsWith("Publish", StringComparison.Ordinal)
        || Operation.StartsWith("Put", StringComparison.Ordinal)
            ? ActivityKind.Producer
            : ActivityKind.Client;

    /// <summary>Secrets services: request and response bodies are never recorded.</summary>
    public bool DropsBodies => SecretServices.Contains(Service);

    public static AwsOperation From(IRequestContext context)
    {
        var request = context.OriginalRequest;
        var service = context.ServiceMetaData?.ServiceId
            ?? context.ClientConfig?.AuthenticationServiceName
            ?? "AWS";
        var name = context.RequestName ?? request?.GetType().Name ?? "Unknown";
        var operation = name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
        return new AwsOperation(service, operation, ResourceOf(service, request));
    }

    internal static string? ResourceOf(string service, object? request) => service switch
    {
        "SQS" => CorrelationKeys.LastSegment(Members.Str(request, "QueueUrl")) ?? Members.Str(request, "QueueName"),
        "SNS" => CorrelationKeys.LastSegment(Members.Str(request, "TopicArn") ?? Members.Str(request, "TargetArn")),
        "DynamoDB" => Members.Str(request, "TableName") ?? FirstKey(Members.Get(request, "RequestItems")),
        "S3" => Members.Str(request, "BucketName") ?? Members.Str(request, "DestinationBucket"),
        "Kinesis" => Members.Str(request, "StreamName") ?? CorrelationKeys.ArnResource(Members.Str(request, "StreamARN"), ":stream/"),
        "EventBridge" => Members.Items(request, "Entries").Select(e => Members.Str(e, "EventBusName")).FirstOrDefault(b => b is not null) ?? "default",
        "Lambda" => FunctionName(Members.Str(request, "FunctionName")),
        _ => Members.Str(request, "TableName") ?? Members.Str(request, "BucketName") ?? Members.Str(request, "Name"),
    };

    private static string? FirstKey(object? dictionary) =>
        dictionary is System.Collections.IDictionary { Count: > 0 } d ? d.Keys.Cast<object>().First().ToString() : null;

    private static string? FunctionName(string? nameOrArn)
    {
        if (nameOrArn is null)
            return null;
        var at = nameOrArn.IndexOf(":function:", StringComparison.Ordinal);
        return at < 0 ? nameOrArn : nameOrArn[(at + ":function:".Length)..].Split(':')[0];
    }
}
