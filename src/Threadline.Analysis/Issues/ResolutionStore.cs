using System.Collections.Concurrent;
using System.Text.Json;

namespace Threadline.Analysis.Issues;

/// <summary>
/// When each issue was last resolved. Kept in memory and, when a folder is given, in <c>analysis-resolutions.json</c>
/// there, so a resolution survives a restart (the issues themselves are rebuilt from the spans).
/// </summary>
public sealed class ResolutionStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _resolved = new();
    private readonly string? _path;
    private readonly Lock _fileGate = new();

    public ResolutionStore(string? folder)
    {
        _path = folder is null ? null : Path.Combine(folder, "analysis-resolutions.json");
        if (_path is not null && File.Exists(_path))
        {
            foreach (var (id, time) in JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(File.ReadAllText(_path)) ?? [])
                _resolved[id] = time;
        }
    }

    public DateTimeOffset? Get(string issueId) => _resolved.TryGetValue(issueId, out var time) ? time : null;

    public void Set(string issueId, DateTimeOffset time)
    {
        _resolved[issueId] = time;
        if (_path is null)
            return;
        lock (_fileGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_resolved.ToDictionary()));
            File.Move(temporary, _path, overwrite: true);
        }
    }
}
