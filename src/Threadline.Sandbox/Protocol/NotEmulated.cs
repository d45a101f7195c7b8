using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Threadline.Sandbox.Protocol;

internal sealed class NotEmulated : IRestService, IQueryService
{
    public XNamespace XmlNamespace => "";

    public IEnumerable<XElement> Handle(string action, IReadOnlyDictionary<string, string> parameters, AwsCall call) =>
        throw new AwsException("InvalidAction", action);

    public Task HandleAsync(HttpContext http)
    {
        http.Response.StatusCode = 404;
        return Task.CompletedTask;
    }
}
