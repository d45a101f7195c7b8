using System.Diagnostics;

namespace Threadline.Tracer.Tests.Support;

public static class SpanExtensions
{
    public static string? Str(this Activity activity, string name) => activity.GetTagItem(name) as string;

    public static string[] Strings(this Activity activity, string name) => activity.GetTagItem(name) as string[] ?? [];
}
