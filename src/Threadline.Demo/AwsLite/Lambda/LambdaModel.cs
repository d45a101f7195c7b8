using Amazon.Runtime;

namespace Threadline.Demo.AwsLite.Lambda;

/// <summary>Lambda <c>Invoke</c> input, with the real SDK's member names.</summary>
public sealed class InvokeRequest : AmazonWebServiceRequest
{
    public string? FunctionName { get; set; }

    /// <summary><c>RequestResponse</c> (default), <c>Event</c> or <c>DryRun</c>.</summary>
    public string? InvocationType { get; set; }

    public string? Qualifier { get; set; }

    /// <summary>The JSON payload, as the real SDK's <c>Payload</c> string.</summary>
    public string? Payload { get; set; }
}

/// <summary>Lambda <c>Invoke</c> output.</summary>
public sealed class InvokeResponse : AmazonWebServiceResponse
{
    public int StatusCode { get; set; }

    public string? FunctionError { get; set; }

    public string? ExecutedVersion { get; set; }

    public MemoryStream? Payload { get; set; }
}
