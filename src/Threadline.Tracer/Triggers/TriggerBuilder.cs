using System.Diagnostics;
using Threadline.Tracer.Correlation;

namespace Threadline.Tracer.Triggers;

/// <summary>Collects keys, times and links record by record, then freezes them into a <see cref="TriggerInfo"/>.</summary>
internal sealed class TriggerBuilder(string kind, string faasTrigger)
{
    private readonly List<string> _keys = [];
    private readonly List<ActivityLink> _links = [];
    private List<long>? _times;

    public string? Resource { get; set; }

    public bool Retry { get; set; }

    public void Key(string? prefixAndValue)
    {
        if (prefixAndValue is not null)
            _keys.Add(prefixAndValue);
    }

    public void Time(long unixMs) => (_times ??= []).Add(unixMs);

    /// <summary>A W3C <c>traceparent</c> carried in the message, linked with the message id it came with.</summary>
    public void TraceParent(string? traceparent, string? messageId)
    {
        if (traceparent is not null && ActivityContext.TryParse(traceparent, null, out var context))
            _links.Add(new ActivityLink(context, Tags("traceparent", messageId)));
    }

    /// <summary>An X-Ray header <c>Root=1-xxxxxxxx-yyyy…;Parent=zzzz…</c>, linked as the same trace and span in W3C form.</summary>
    public void XRay(string? header, string? messageId)
    {
        if (XRayHeader.TryParse(header, out var context))
            _links.Add(new ActivityLink(context, Tags("xray", messageId)));
    }

    public TriggerInfo Build() => new(kind, faasTrigger, Resource, _keys, _times, Retry, _links);

    private static ActivityTagsCollection Tags(string via, string? messageId)
    {
        var tags = new ActivityTagsCollection { ["threadline.link.via"] = via };
        if (messageId is not null)
            tags["messaging.message.id"] = messageId;
        return tags;
    }

    public static TriggerInfo Invoke(string? requestId) =>
        new(TriggerKinds.Invoke, TriggerKinds.Other, null,
            requestId is null ? [] : [CorrelationKeys.LambdaRequest(requestId)], null, false, []);
}
