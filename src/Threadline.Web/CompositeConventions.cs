using Microsoft.AspNetCore.Builder;

namespace Threadline.Web;

/// <summary>Applies a convention to several endpoint groups, so the module can return one builder for all it maps.</summary>
internal sealed class CompositeConventions(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
            builder.Add(convention);
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders)
            builder.Finally(finallyConvention);
    }
}
