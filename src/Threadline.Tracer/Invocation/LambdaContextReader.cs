using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Threadline.Tracer.Invocation;

/// <summary>
/// Reads a Lambda context without a compile-time dependency on Amazon.Lambda.Core: the properties of
/// <c>ILambdaContext</c> are looked up by name once per context type and read through compiled delegates.
/// </summary>
internal static class LambdaContextReader
{
    private static readonly ConcurrentDictionary<Type, Func<object, LambdaContextInfo>> Readers = new();

    public static LambdaContextInfo Read(object? context) =>
        context is null ? LambdaContextInfo.Empty : Readers.GetOrAdd(context.GetType(), Build)(context);

    private static Func<object, LambdaContextInfo> Build(Type type)
    {
        var requestId = Accessor<string>(type, "AwsRequestId");
        var name = Accessor<string>(type, "FunctionName");
        var version = Accessor<string>(type, "FunctionVersion");
        var arn = Accessor<string>(type, "InvokedFunctionArn");
        var memory = Accessor<int>(type, "MemoryLimitInMB");
        var remaining = Accessor<TimeSpan>(type, "RemainingTime");
        var logGroup = Accessor<string>(type, "LogGroupName");
        var logStream = Accessor<string>(type, "LogStreamName");
        return ctx => new LambdaContextInfo(
            requestId?.Invoke(ctx) as string,
            name?.Invoke(ctx) as string,
            version?.Invoke(ctx) as string,
            arn?.Invoke(ctx) as string,
            memory?.Invoke(ctx) is int m ? m : null,
            remaining?.Invoke(ctx) is TimeSpan r ? r : null,
            logGroup?.Invoke(ctx) as string,
            logStream?.Invoke(ctx) as string);
    }

    private static Func<object, object?>? Accessor<T>(Type type, string name)
    {
        var property = FindProperty(type, name);
        if (property is null || property.GetMethod is null || !typeof(T).IsAssignableFrom(property.PropertyType))
            return null;
        var parameter = Expression.Parameter(typeof(object), "ctx");
        var body = Expression.Convert(
            Expression.Property(Expression.Convert(parameter, property.DeclaringType!), property),
            typeof(object));
        var compiled = Expression.Lambda<Func<object, object?>>(body, parameter).Compile();
        return ctx =>
        {
            try
            {
                return compiled(ctx);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return null;
            }
        };
    }

    private static PropertyInfo? FindProperty(Type type, string name) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
        ?? type.GetInterfaces()
            .Select(i => i.GetProperty(name, BindingFlags.Public | BindingFlags.Instance))
            .FirstOrDefault(p => p is not null);
}
