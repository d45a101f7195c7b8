using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;

namespace Threadline.Release.Tests;

/// <summary>
/// A built .NET Lambda function loaded the way the Lambda .NET runtime loads one: its assembly and dependencies from
/// its own folder into a load context of their own (so its Threadline.Tracer, OpenTelemetry and AWSSDK.Core are the
/// package's, not this process's), the handler found by its handler string <c>Assembly::Type::Method</c>, the event
/// deserialized into the handler's parameter type and the result serialized back, with System.Text.Json.
/// </summary>
internal sealed class LambdaFunctionPackage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Type _type;
    private readonly MethodInfo _method;

    public LambdaFunctionPackage(string folder, string handler)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3)
            throw new ArgumentException($"handler '{handler}' is not Assembly::Type::Method", nameof(handler));
        var context = new FunctionLoadContext(Path.Combine(folder, parts[0] + ".dll"));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(folder, parts[0] + ".dll"));
        _type = assembly.GetType(parts[1], throwOnError: true)!;
        _method = _type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{parts[1]} has no public method {parts[2]}", nameof(handler));
        LoadContext = context;
    }

    public AssemblyLoadContext LoadContext { get; }

    /// <summary>The init phase of an execution environment: one instance of the function class, and its handler.</summary>
    public FunctionHandler CreateHandler()
    {
        var instance = Activator.CreateInstance(_type);
        var eventType = _method.GetParameters()[0].ParameterType;
        var resultType = _method.ReturnType.GetGenericArguments().Single();
        return async (input, context) =>
        {
            var typedEvent = input.Deserialize(eventType, Json);
            var task = (Task)_method.Invoke(instance, [typedEvent, context])!;
            await task.ConfigureAwait(false);
            return JsonSerializer.SerializeToNode(task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task), resultType, Json);
        };
    }

    private sealed class FunctionLoadContext(string mainAssembly) : AssemblyLoadContext("lambda-function")
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
