using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// The alert rules from their JSON file: read at start (a bad file fails the start), read again when the file
/// changes (a bad edit is logged and the previous rules stay).
/// </summary>
public sealed partial class AlertRuleSource(string? path, ILogger<AlertRuleSource> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Lock _gate = new();
    private AlertConfiguration _current = AlertConfiguration.Empty;
    private DateTime _loadedWriteTime;

    public string? Path => path;

    /// <summary>Loads the file; throws with every problem when it is malformed.</summary>
    public void Load()
    {
        if (path is null)
            return;
        var configuration = Parse(path);
        lock (_gate)
        {
            _current = configuration;
            _loadedWriteTime = File.GetLastWriteTimeUtc(path);
        }
    }

    public static AlertConfiguration Parse(string path)
    {
        AlertConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<AlertConfiguration>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"Alert rule file {path}: {e.Message}", e);
        }
        configuration = (configuration ?? AlertConfiguration.Empty) with { Path = path };
        var errors = configuration.Validate();
        if (errors.Count > 0)
            throw new InvalidDataException($"Alert rule file {path}: " + string.Join(" ", errors));
        return configuration.WithFileIds();
    }

    /// <summary>The rules now, re-read first when the file changed since.</summary>
    public AlertConfiguration Current()
    {
        if (path is not null && File.Exists(path) && File.GetLastWriteTimeUtc(path) != _loadedWriteTime)
        {
            try
            {
                Load();
            }
            catch (InvalidDataException e)
            {
                lock (_gate)
                    _loadedWriteTime = File.GetLastWriteTimeUtc(path);
                LogReloadFailed(e.Message);
            }
        }
        lock (_gate)
            return _current;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rules not reloaded, the previous ones stay: {Problem}")]
    private partial void LogReloadFailed(string problem);
}
