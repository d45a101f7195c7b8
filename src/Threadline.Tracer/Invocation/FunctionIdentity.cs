using Threadline.Tracer.Configuration;

namespace Threadline.Tracer.Invocation;

/// <summary>Who is running: explicit options win over the Lambda context, which wins over the Lambda environment.</summary>
internal sealed record FunctionIdentity(string Name, string? Version, int? MemoryMb, string? Region, string? LogStream)
{
    public static FunctionIdentity Resolve(ThreadlineOptions options, LambdaContextInfo context, Func<string, string?> env) => new(
        options.FunctionName ?? context.FunctionName ?? env(EnvNames.LambdaFunctionName) ?? "unknown-function",
        options.FunctionVersion ?? context.FunctionVersion ?? env(EnvNames.LambdaFunctionVersion),
        options.MemorySizeMb ?? context.MemoryLimitInMb ?? ParseInt(env(EnvNames.LambdaMemorySize)),
        options.Region ?? env(EnvNames.Region) ?? RegionFromArn(context.InvokedFunctionArn),
        context.LogStreamName ?? env(EnvNames.LambdaLogStream));

    private static int? ParseInt(string? value) => int.TryParse(value, out var n) ? n : null;

    private static string? RegionFromArn(string? arn)
    {
        var parts = arn?.Split(':');
        return parts is { Length: > 3 } && parts[3].Length > 0 ? parts[3] : null;
    }
}
