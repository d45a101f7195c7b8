namespace Threadline.Tracer.Tests.Support;

/// <summary>Event samples written from the shapes in the AWS documentation (Events/*.json).</summary>
public static class Samples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", name + ".json"));

    public static Stream Stream(string name) => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Read(name)));
}
