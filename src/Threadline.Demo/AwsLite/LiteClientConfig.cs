using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace Threadline.Demo.AwsLite;

/// <summary>
/// A service's client configuration: its service id (what the tracer recognises the service by), its SigV4
/// signing name, API version, and an endpoint provider that honours <see cref="ClientConfig.ServiceURL"/>.
/// </summary>
public sealed class LiteClientConfig : ClientConfig
{
    private readonly string _endpointPrefix;
    private readonly string _serviceVersion;

    public LiteClientConfig(string serviceId, string endpointPrefix, string serviceVersion, string? serviceUrl, string region)
        : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard }]))
    {
        _endpointPrefix = endpointPrefix;
        _serviceVersion = serviceVersion;
        ServiceId = serviceId;
        AuthenticationServiceName = endpointPrefix;
        EndpointProvider = new ServiceUrlEndpointProvider(endpointPrefix);
        AuthenticationRegion = region;
        if (serviceUrl is not null)
            ServiceURL = serviceUrl;
    }

    public override string RegionEndpointServiceName => _endpointPrefix;

    public override string ServiceVersion => _serviceVersion;

    public override string UserAgent => $"threadline-demo/{ServiceId}";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        var endpointParameters = new EndpointParameters();
        endpointParameters["Region"] = RegionEndpoint?.SystemName ?? AuthenticationRegion;
        endpointParameters["Endpoint"] = ServiceURL;
        return EndpointProvider.ResolveEndpoint(endpointParameters);
    }

    /// <summary>The configured ServiceURL when there is one, else the service's regional AWS endpoint.</summary>
    private sealed class ServiceUrlEndpointProvider(string endpointPrefix) : IEndpointProvider
    {
        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            if (parameters["Endpoint"] is string { Length: > 0 } url)
                return new Endpoint(url);
            var region = parameters["Region"] as string ?? "us-east-1";
            return new Endpoint($"https://{endpointPrefix}.{region}.amazonaws.com");
        }
    }
}
