namespace Threadline.Server.Security;

/// <summary>Folders only their owner may enter (0700), for data that holds payloads and secrets. An existing folder keeps its mode.</summary>
internal static class PrivateDirectory
{
    public static DirectoryInfo Create(string path) =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
