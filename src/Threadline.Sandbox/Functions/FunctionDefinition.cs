using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Functions;

/// <summary>A function body: the event JSON in, the response JSON out (null for no payload).</summary>
public delegate Task<JsonNode?> FunctionHandler(JsonNode? input, ILambdaContext context);

/// <summary>
/// A function as deployed: its identity and configuration, and a factory that runs once per execution
/// environment (the "init" phase of a cold start) and returns the handler that environment serves.
/// </summary>
public sealed record FunctionDefinition(string Name, Func<FunctionHandler> CreateHandler)
{
    public FunctionDefinition(string name, FunctionHandler handler)
        : this(name, () => handler)
    {
    }

    /// <summary>Configured memory in MB, as reported by <see cref="ILambdaContext.MemoryLimitInMB"/>.</summary>
    public int MemoryMb { get; init; } = 128;

    /// <summary>The invocation is failed with a timeout error when the handler runs longer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>A published version of a function, as an execution environment is created from it.</summary>
public sealed record FunctionVersionInfo(FunctionDefinition Definition, string Version, string FunctionArn)
{
    public string Name => Definition.Name;
}

/// <summary>
/// Applied to every handler when an execution environment is created, before its first invocation:
/// where a tracer wraps the user's handler exactly as the user's own code would.
/// </summary>
public delegate FunctionHandler HandlerWrapper(FunctionHandler handler, FunctionVersionInfo function);
