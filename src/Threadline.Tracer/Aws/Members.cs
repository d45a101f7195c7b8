using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Threadline.Tracer.Aws;

/// <summary>
/// Reads AWS SDK request and response objects by property name, so that any service works without a
/// compile-time reference to its package (SNS, Kinesis, EventBridge, Lambda...). Lookups are cached per type.
/// </summary>
internal static class Members
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    public static object? Get(object? target, string name)
    {
        if (target is null)
            return null;
        var property = Properties.GetOrAdd((target.GetType(), name),
            key => key.Item1.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance));
        return property?.GetIndexParameters().Length == 0 ? property.GetValue(target) : null;
    }

    public static string? Str(object? target, string name) => Get(target, name) switch
    {
        string s => s,
        null => null,
        var other => other.ToString(),
    };

    public static IEnumerable<object> Items(object? target, string name) =>
        Get(target, name) is IEnumerable items and not string ? items.Cast<object?>().OfType<object>() : [];

    public static bool Set(object target, string name, object? value)
    {
        var property = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property?.SetMethod is null)
            return false;
        property.SetValue(target, value);
        return true;
    }

    public static Type? PropertyType(object target, string name) =>
        target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.PropertyType;
}
