using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Threadline.Demo.AwsLite.Sns;

/// <summary>SNS on the query protocol (API version 2010-03-31): <c>Publish</c>.</summary>
public sealed class SnsClient(AWSCredentials credentials, LiteClientConfig config) : LiteServiceClient(credentials, config)
{
    private static readonly LiteMarshaller<PublishRequest> PublishMarshaller = new(MarshallPublish);
    private static readonly LiteXmlUnmarshaller<PublishResponse> PublishUnmarshaller = new(root => new PublishResponse
    {
        MessageId = LiteXmlUnmarshaller<PublishResponse>.Child(root, "PublishResult", "MessageId"),
        SequenceNumber = LiteXmlUnmarshaller<PublishResponse>.Child(root, "PublishResult", "SequenceNumber"),
    });


    public static LiteClientConfig ConfigFor(string? serviceUrl = null, string region = "us-east-1") => new("SNS", "sns", "2010-03-31", serviceUrl, region);

    public Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PublishRequest, PublishResponse>(request, PublishMarshaller, PublishUnmarshaller, cancellationToken);

    private static IRequest MarshallPublish(PublishRequest request)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        Add(parameters, "TopicArn", request.TopicArn);
        Add(parameters, "TargetArn", request.TargetArn);
        Add(parameters, "Message", request.Message);
        Add(parameters, "Subject", request.Subject);
        var index = 1;
        foreach (var (name, value) in request.MessageAttributes ?? [])
        {
            var prefix = $"MessageAttributes.entry.{index++}";
            Add(parameters, $"{prefix}.Name", name);
            Add(parameters, $"{prefix}.Value.DataType", value.DataType);
            Add(parameters, $"{prefix}.Value.StringValue", value.StringValue);
            if (value.BinaryValue is { } binary)
                Add(parameters, $"{prefix}.Value.BinaryValue", Convert.ToBase64String(binary.ToArray()));
        }
        return LiteRequests.Query(request, "SNS", "Publish", "2010-03-31", parameters);
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (value is not null)
            parameters.Add(new(name, value));
    }
}
