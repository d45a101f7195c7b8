using Amazon.Runtime;

namespace Threadline.Demo.AwsLite.Sns;

/// <summary>SNS <c>Publish</c> input, with the real SDK's member names.</summary>
public sealed class PublishRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? TargetArn { get; set; }

    public string? Message { get; set; }

    public string? Subject { get; set; }

    public Dictionary<string, MessageAttributeValue>? MessageAttributes { get; set; }
}

/// <summary>An SNS message attribute (String / Number / Binary).</summary>
public sealed class MessageAttributeValue
{
    public string? DataType { get; set; }

    public string? StringValue { get; set; }

    public MemoryStream? BinaryValue { get; set; }
}

/// <summary>SNS <c>Publish</c> output.</summary>
public sealed class PublishResponse : AmazonWebServiceResponse
{
    public string? MessageId { get; set; }

    public string? SequenceNumber { get; set; }
}
