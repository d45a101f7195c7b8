using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Threadline.Demo.AwsLite;

// Why this folder exists: the NuGet mirror this project builds from has AWSSDK.Core, SQS, S3 and DynamoDBv2, but
// not AWSSDK.SimpleNotificationService, Kinesis, EventBridge or Lambda. The demo's functions still have to call
// those four services the way real code does, so that the tracer's AWSSDK.Core pipeline hook records them exactly
// as it records the real packages. These are minimal service clients on AWSSDK.Core's own client pipeline (config,
// endpoint resolution, SigV4 auth, retries, marshaller, unmarshaller), covering only the operations the demo uses,
// on the real wire protocols, with the request/response member names of the real SDK models.

/// <summary>Base of the minimal AWSSDK.Core clients: the service's metadata and the v4 endpoint/auth pipeline steps.</summary>
public abstract class LiteServiceClient : AmazonServiceClient
{
    private readonly LiteServiceMetadata _metadata;

    protected LiteServiceClient(AWSCredentials credentials, LiteClientConfig config)
        : base(credentials, config)
    {
        _metadata = new LiteServiceMetadata(config.ServiceId);
    }

    protected override IServiceMetadata ServiceMetadata => _metadata;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        // As the generated v4 clients do: Marshaller → auth scheme resolution → endpoint resolution.
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new LiteEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new LiteAuthSchemeHandler());
    }

    /// <summary>Runs one operation through the pipeline.</summary>
    protected Task<TResponse> CallAsync<TRequest, TResponse>(
        TRequest request,
        IMarshaller<IRequest, AmazonWebServiceRequest> marshaller,
        ResponseUnmarshaller unmarshaller,
        CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new()
    {
        var options = new InvokeOptions { RequestMarshaller = marshaller, ResponseUnmarshaller = unmarshaller };
        return InvokeAsync<TResponse>(request, options, cancellationToken);
    }

    private sealed class LiteServiceMetadata(string serviceId) : IServiceMetadata
    {
        public string ServiceId { get; } = serviceId;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
    }
}
