using System.Diagnostics;

namespace Threadline.Tracer.Triggers;

/// <summary>What an event says about where it came from: kind, resource, every inbound correlation key, in-band links.</summary>
internal sealed record TriggerInfo(
    string Kind,
    string FaasTrigger,
    string? Resource,
    IReadOnlyList<string> Keys,
    IReadOnlyList<long>? Times,
    bool Retry,
    IReadOnlyList<ActivityLink> Links)
{
    public bool IsHttp => FaasTrigger == TriggerKinds.Http;

    public ActivityKind SpanKind => IsHttp ? ActivityKind.Server : ActivityKind.Consumer;
}
