using System.Text.Json.Nodes;

namespace Threadline.Demo.Functions;

/// <summary>API Gateway proxy responses.</summary>
internal static class ApiResponses
{
    public static JsonObject Json(int statusCode, JsonObject body) => new()
    {
        ["statusCode"] = statusCode,
        ["headers"] = new JsonObject { ["content-type"] = "application/json" },
        ["body"] = body.ToJsonString(),
    };
}
