using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Threadline.Demo.AwsLite;

/// <summary>Endpoint resolution step: region and ServiceURL handed to the config's endpoint provider.</summary>
internal sealed class LiteEndpointResolver : BaseEndpointResolver
{
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        var config = requestContext.ClientConfig;
        var parameters = new EndpointParameters();
        parameters["Region"] = config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion ?? "us-east-1";
        parameters["Endpoint"] = config.ServiceURL;
        return parameters;
    }
}

/// <summary>Auth scheme step: every operation of these services is signed with SigV4.</summary>
internal sealed class LiteAuthSchemeHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
