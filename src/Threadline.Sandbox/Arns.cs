namespace Threadline.Sandbox;

/// <summary>ARNs and names as the emulated services spell them, for one region and account.</summary>
public sealed class Arns(string region, string accountId)
{
    public string Region { get; } = region;

    public string AccountId { get; } = accountId;

    public string Queue(string name) => $"arn:aws:sqs:{Region}:{AccountId}:{name}";

    public string Topic(string name) => $"arn:aws:sns:{Region}:{AccountId}:{name}";

    public string Function(string name) => $"arn:aws:lambda:{Region}:{AccountId}:function:{name}";

    public string Table(string name) => $"arn:aws:dynamodb:{Region}:{AccountId}:table/{name}";

    public string KinesisStream(string name) => $"arn:aws:kinesis:{Region}:{AccountId}:stream/{name}";

    public string EventBus(string name) => $"arn:aws:events:{Region}:{AccountId}:event-bus/{name}";

    public string Rule(string bus, string name) =>
        bus == "default" ? $"arn:aws:events:{Region}:{AccountId}:rule/{name}" : $"arn:aws:events:{Region}:{AccountId}:rule/{bus}/{name}";

    public static string Bucket(string name) => $"arn:aws:s3:::{name}";

    /// <summary>The last segment of an ARN after ':' or '/', or the input when it is a plain name.</summary>
    public static string NameOf(string nameOrArn)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return nameOrArn;
        }

        var cut = Math.Max(nameOrArn.LastIndexOf(':'), nameOrArn.LastIndexOf('/'));
        return nameOrArn[(cut + 1)..];
    }

    /// <summary>A function name from a name, a partial ARN or a (possibly qualified) function ARN.</summary>
    public static string FunctionNameOf(string nameOrArn)
    {
        var parts = nameOrArn.Split(':');
        var at = Array.IndexOf(parts, "function");
        return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : parts[0];
    }

    /// <summary>The service of an ARN (<c>sqs</c>, <c>lambda</c>, ...), or null.</summary>
    public static string? ServiceOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length > 2 && parts[0] == "arn" ? parts[2] : null;
    }
}
