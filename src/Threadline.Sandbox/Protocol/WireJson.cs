using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Protocol;

/// <summary>JSON text as AWS writes it: only what JSON requires is escaped (<c>+</c>, <c>&lt;</c>, <c>'</c> stay as they are).</summary>
internal static class WireJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToWire(this JsonNode node) => node.ToJsonString(Options);
}
