using Amazon.Runtime;

namespace Threadline.Demo.AwsLite.EventBridge;

/// <summary>EventBridge <c>PutEvents</c> input, with the real SDK's member names.</summary>
public sealed class PutEventsRequest : AmazonWebServiceRequest
{
    public List<PutEventsRequestEntry> Entries { get; set; } = [];
}

/// <summary>One event to put.</summary>
public sealed class PutEventsRequestEntry
{
    public string? EventBusName { get; set; }

    public string? Source { get; set; }

    public string? DetailType { get; set; }

    public string? Detail { get; set; }

    public List<string>? Resources { get; set; }

    public DateTime? Time { get; set; }
}

/// <summary>EventBridge <c>PutEvents</c> output: one result per entry, in request order.</summary>
public sealed class PutEventsResponse : AmazonWebServiceResponse
{
    public int? FailedEntryCount { get; set; }

    public List<PutEventsResultEntry> Entries { get; set; } = [];
}

/// <summary>The result of one entry: the event id, or an error.</summary>
public sealed class PutEventsResultEntry
{
    public string? EventId { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
