namespace Threadline.Web.Model;

/// <summary>The URL of every view, so each can be linked to and reloaded.</summary>
public static class Links
{
    public static string Transaction(string id, string? invocation = null) =>
        invocation is null ? $"/transactions/{Uri.EscapeDataString(id)}" : $"/transactions/{Uri.EscapeDataString(id)}?invocation={Uri.EscapeDataString(invocation)}";
}
