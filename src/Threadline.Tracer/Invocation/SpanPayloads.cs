using System.Diagnostics;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Invocation;

/// <summary>Writes a scrubbed payload attribute, cut to the invocation's budget, and marks truncation on the span.</summary>
internal static class SpanPayloads
{
    public const string Truncated = "threadline.truncated";

    public static void Set(Activity activity, string attribute, string? scrubbedValue, PayloadBudget budget, bool error)
    {
        if (scrubbedValue is null)
            return;
        var value = budget.Fit(scrubbedValue, error, out var truncated);
        activity.SetTag(attribute, value);
        if (truncated)
            MarkTruncated(activity, attribute);
    }

    public static void MarkTruncated(Activity activity, string attribute)
    {
        var existing = activity.GetTagItem(Truncated) as string[] ?? [];
        if (!existing.Contains(attribute))
            activity.SetTag(Truncated, existing.Append(attribute).ToArray());
    }

    /// <summary>OpenTelemetry's error shape: status ERROR with the message and an <c>exception</c> event.</summary>
    public static void SetError(Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }
}
