using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Threadline.Web;

/// <summary>
/// Blazor reads the JS initializers (Fluent UI's <c>lib.module.js</c>) from <c>{ApplicationName}.modules.json</c>
/// in the web root; the application is the executable (or a test host), while the build names the file after this
/// project. This provider answers the first name with the second file.
/// </summary>
internal sealed class ModulesManifestAlias(IFileProvider inner, string applicationName, string projectName) : IFileProvider
{
    private readonly string _alias = "/" + applicationName + ".modules.json";
    private readonly string _actual = "/" + projectName + ".modules.json";

    public IFileInfo GetFileInfo(string subpath) => inner.GetFileInfo(Map(subpath));

    public IDirectoryContents GetDirectoryContents(string subpath) => inner.GetDirectoryContents(subpath);

    public IChangeToken Watch(string filter) => inner.Watch(filter);

    private string Map(string subpath) =>
        string.Equals("/" + subpath.TrimStart('/'), _alias, StringComparison.OrdinalIgnoreCase) ? _actual : subpath;
}
