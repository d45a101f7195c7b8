using System.Xml.Linq;

namespace Threadline.Sandbox.Protocol;

/// <summary>A service on the AWS query protocol: form-encoded <c>Action</c> in, XML out.</summary>
internal interface IQueryService
{
    XNamespace XmlNamespace { get; }

    /// <summary>Returns the children of the <c>&lt;ActionResult&gt;</c> element.</summary>
    IEnumerable<XElement> Handle(string action, IReadOnlyDictionary<string, string> parameters, AwsCall call);
}

/// <summary>The query protocol's response and error envelopes, and its flattened list/map parameters.</summary>
internal static class QueryXml
{
    public static string Response(XNamespace ns, string action, IEnumerable<XElement> result, string requestId) =>
        new XDocument(new XElement(ns + $"{action}Response",
            new XElement(ns + $"{action}Result", result.Select(e => WithNamespace(e, ns))),
            new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)))).ToString();

    public static string Error(XNamespace ns, AwsException error, string requestId) =>
        new XDocument(new XElement(ns + "ErrorResponse",
            new XElement(ns + "Error",
                new XElement(ns + "Type", error.IsSenderFault ? "Sender" : "Receiver"),
                new XElement(ns + "Code", error.Code),
                new XElement(ns + "Message", error.Message)),
            new XElement(ns + "RequestId", requestId))).ToString();

    /// <summary>Members of a flattened map such as <c>Attributes.entry.1.key</c> / <c>.value</c>.</summary>
    public static Dictionary<string, string> Map(IReadOnlyDictionary<string, string> parameters, string prefix)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; parameters.TryGetValue($"{prefix}.entry.{i}.key", out var key); i++)
        {
            map[key] = parameters.GetValueOrDefault($"{prefix}.entry.{i}.value") ?? "";
        }

        return map;
    }

    /// <summary>Entries of a map whose values are structures: <c>prefix.entry.N.Name</c> and <c>prefix.entry.N.Value.*</c>.</summary>
    public static IEnumerable<(string Name, Func<string, string?> Value)> StructMap(
        IReadOnlyDictionary<string, string> parameters, string prefix)
    {
        for (var i = 1; parameters.TryGetValue($"{prefix}.entry.{i}.Name", out var name); i++)
        {
            var at = i;
            yield return (name, member => parameters.GetValueOrDefault($"{prefix}.entry.{at}.Value.{member}"));
        }
    }

    public static string Required(this IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new AwsException("InvalidParameter", $"Invalid parameter: {name} must not be empty");

    private static XElement WithNamespace(XElement element, XNamespace ns)
    {
        foreach (var e in element.DescendantsAndSelf())
        {
            e.Name = ns + e.Name.LocalName;
        }

        return element;
    }
}
