using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Threadline.Demo.AwsLite.Lambda;

/// <summary>Lambda on REST-JSON (API version 2015-03-31): <c>Invoke</c>.</summary>
public sealed class LambdaClient(AWSCredentials credentials, LiteClientConfig config) : LiteServiceClient(credentials, config)
{
    private static readonly LiteMarshaller<InvokeRequest> InvokeMarshaller = new(MarshallInvoke);

    private static readonly LiteJsonUnmarshaller<InvokeResponse> InvokeUnmarshaller = new(response => new InvokeResponse
    {
        StatusCode = (int)response.Data.StatusCode,
        FunctionError = response.Header("X-Amz-Function-Error"),
        ExecutedVersion = response.Header("X-Amz-Executed-Version"),
        Payload = new MemoryStream(response.Body, writable: false),
    });


    public static LiteClientConfig ConfigFor(string? serviceUrl = null, string region = "us-east-1") => new("Lambda", "lambda", "2015-03-31", serviceUrl, region);

    public Task<InvokeResponse> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<InvokeRequest, InvokeResponse>(request, InvokeMarshaller, InvokeUnmarshaller, cancellationToken);

    private static IRequest MarshallInvoke(InvokeRequest request)
    {
        var name = request.FunctionName ?? throw new ArgumentException("FunctionName is required.", nameof(request));
        var marshalled = new DefaultRequest(request, "Lambda")
        {
            HttpMethod = "POST",
            ResourcePath = $"/2015-03-31/functions/{Uri.EscapeDataString(name)}/invocations",
            Content = Encoding.UTF8.GetBytes(request.Payload ?? ""),
        };
        marshalled.Headers["Content-Type"] = "application/json";
        if (request.InvocationType is { } type)
            marshalled.Headers["X-Amz-Invocation-Type"] = type;
        if (request.Qualifier is { } qualifier)
            marshalled.Parameters["Qualifier"] = qualifier;
        return marshalled;
    }
}
