namespace Threadline.Web.Model;

/// <summary>The URL of every view, so each can be linked to and reloaded.</summary>
public static class Links
{
    public static string Transaction(string id, string? invocation = null) =>
        invocation is null ? $"/transactions/{Uri.EscapeDataString(id)}" : $"/transactions/{Uri.EscapeDataString(id)}?invocation={Uri.EscapeDataString(invocation)}";

    /// <summary>The transaction list with these filters (null ones left out).</summary>
    public static string Transactions(string? entry = null, string? status = null, string? function = null, string? edge = null, string? node = null, string? range = null) =>
        "/" + Query(("range", range), ("entry", entry), ("status", status), ("function", function), ("edge", edge), ("node", node));

    public static string Issue(string id) => $"/issues/{Uri.EscapeDataString(id)}";

    public static string Issues(string? function = null, string? state = null, string? range = null) =>
        "/issues" + Query(("state", state), ("function", function), ("range", range));

    public static string Function(string name, string? range = null) => $"/functions/{Uri.EscapeDataString(name)}" + Query(("range", range));

    public static string Trace(string traceId) => $"/traces/{Uri.EscapeDataString(traceId)}";

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
