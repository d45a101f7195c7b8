using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Threadline.Demo.AwsLite;

/// <summary>Turns one request type into its HTTP request, as a generated request marshaller does.</summary>
internal sealed class LiteMarshaller<TRequest>(Func<TRequest, IRequest> marshall) : IMarshaller<IRequest, AmazonWebServiceRequest>
    where TRequest : AmazonWebServiceRequest
{
    public IRequest Marshall(AmazonWebServiceRequest input) => marshall((TRequest)input);
}

/// <summary>Request shapes of the protocols used here.</summary>
internal static class LiteRequests
{
    /// <summary>AWS JSON 1.0/1.1: POST / with <c>X-Amz-Target</c> and a JSON body.</summary>
    public static IRequest Json(AmazonWebServiceRequest original, string serviceName, string target, string jsonVersion, JsonObject body)
    {
        var request = new DefaultRequest(original, serviceName)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(body.ToJsonString()),
        };
        request.Headers["X-Amz-Target"] = target;
        request.Headers["Content-Type"] = $"application/x-amz-json-{jsonVersion}";
        return request;
    }

    /// <summary>Query protocol: a form-encoded POST with <c>Action</c> and <c>Version</c>.</summary>
    public static IRequest Query(AmazonWebServiceRequest original, string serviceName, string action, string version, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", version) };
        form.AddRange(parameters);
        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var request = new DefaultRequest(original, serviceName)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(body),
        };
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        return request;
    }
}
