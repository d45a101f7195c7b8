using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;

namespace Threadline.Demo.AwsLite;

/// <summary>A response read whole: its body bytes and headers.</summary>
internal sealed record LiteResponse(byte[] Body, IWebResponseData Data)
{
    public string? Header(string name) => Data.IsHeaderPresent(name) ? Data.GetHeaderValue(name) : null;

    public string? RequestId => Header("x-amzn-RequestId");

    public JsonObject Json() => Body.Length == 0 ? [] : JsonNode.Parse(Body) as JsonObject ?? [];

    public static LiteResponse Read(Stream stream, IWebResponseData data)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new LiteResponse(buffer.ToArray(), data);
    }
}

/// <summary>JSON and REST-JSON responses: the body handed whole to a reader; errors from <c>__type</c> / <c>x-amzn-ErrorType</c>.</summary>
internal sealed class LiteJsonUnmarshaller<TResponse>(Func<LiteResponse, TResponse> read) : JsonResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse
{
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
    {
        var response = LiteResponse.Read(context.Stream, context.ResponseData);
        var result = read(response);
        result.ResponseMetadata ??= new ResponseMetadata();
        result.ResponseMetadata.RequestId ??= response.RequestId;
        return result;
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var response = LiteResponse.Read(context.Stream, context.ResponseData);
        JsonObject body;
        try
        {
            body = response.Json();
        }
        catch (JsonException)
        {
            body = [];
        }
        var type = response.Header("x-amzn-ErrorType") ?? body["__type"]?.GetValue<string>() ?? body["Type"]?.GetValue<string>() ?? "UnknownError";
        var code = type.Split(':')[0].Split('#')[^1];
        var message = (body["message"] ?? body["Message"])?.GetValue<string>() ?? statusCode.ToString();
        return new AmazonServiceException(message, innerException, (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender, code, response.RequestId, statusCode);
    }
}

/// <summary>Query-protocol responses: the XML document handed whole to a reader; errors from <c>ErrorResponse</c>.</summary>
internal sealed class LiteXmlUnmarshaller<TResponse>(Func<XElement, TResponse> read) : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse
{
    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
    {
        var root = XDocument.Load(context.Stream).Root!;
        var result = read(root);
        result.ResponseMetadata = new ResponseMetadata { RequestId = Child(root, "ResponseMetadata", "RequestId") };
        return result;
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var root = XDocument.Load(context.Stream).Root!;
        var error = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Error");
        var type = error is null ? null : Child(error, "Type");
        return new AmazonServiceException(
            (error is null ? null : Child(error, "Message")) ?? statusCode.ToString(),
            innerException,
            type == "Receiver" ? ErrorType.Receiver : ErrorType.Sender,
            (error is null ? null : Child(error, "Code")) ?? "UnknownError",
            Child(root, "RequestId"),
            statusCode);
    }

    /// <summary>The text of the element at a path of local names below <paramref name="element"/>.</summary>
    public static string? Child(XElement element, params string[] path)
    {
        XElement? current = element;
        foreach (var name in path)
            current = current?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
        return current?.Value;
    }
}
