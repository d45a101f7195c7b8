using System.Collections.Concurrent;
using System.Text.Json;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// Deployments recorded through <c>POST /api/deployments</c>; in memory and, when a folder is given, in
/// <c>analysis-deployments.json</c> there (detected deployments are rebuilt from the spans).
/// </summary>
public sealed class DeploymentLog
{
    private readonly ConcurrentDictionary<(string Function, string Version), DateTimeOffset> _recorded = new();
    private readonly string? _path;
    private readonly Lock _fileGate = new();

    public DeploymentLog(string? folder)
    {
        _path = folder is null ? null : Path.Combine(folder, "analysis-deployments.json");
        if (_path is not null && File.Exists(_path))
        {
            foreach (var entry in JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(_path)) ?? [])
                _recorded[(entry.Function, entry.Version)] = entry.Time;
        }
    }

    public IReadOnlyList<Deployment> Recorded =>
        [.. _recorded.Select(r => new Deployment(r.Key.Function, r.Key.Version, r.Value, null, Recorded: true))];

    public void Record(string function, string version, DateTimeOffset time)
    {
        _recorded[(function, version)] = time;
        if (_path is null)
            return;
        lock (_fileGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_recorded.Select(r => new Entry(r.Key.Function, r.Key.Version, r.Value)).ToList()));
            File.Move(temporary, _path, overwrite: true);
        }
    }

    private sealed record Entry(string Function, string Version, DateTimeOffset Time);
}
