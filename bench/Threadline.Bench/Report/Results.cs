using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadline.Bench.Report;

/// <summary>Every figure of a run, printed as one table and written as JSON (one key per figure).</summary>
internal sealed class Results
{
    private readonly List<Figure> _figures = [];
    private readonly Dictionary<string, string> _info = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.RemoveAll(f => f.Key == figure.Key);
        _figures.Add(figure);
        Console.WriteLine($"  {figure.Label}: {figure.ValueText} {figure.Unit} {figure.TargetText} {figure.Verdict}".TrimEnd());
    }

    public void Info(string key, string value) => _info[key] = value;

    public string Table()
    {
        var rows = _figures.Select(f => new[] { f.Section, f.Label, $"{f.ValueText} {f.Unit}".Trim(), f.TargetText, f.Verdict, f.Note ?? "" }).ToList();
        string[] header = ["section", "figure", "value", "target", "", "note"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(("| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |").TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in rows)
            Line(row);
        foreach (var (key, value) in _info.OrderBy(i => i.Key))
            text.AppendLine($"{key}: {value}");
        return text.ToString();
    }

    public void WriteJson(string path)
    {
        var figures = new JsonObject();
        var targets = new JsonObject();
        foreach (var figure in _figures)
        {
            figures[figure.Key] = double.IsNaN(figure.Value) ? null : Math.Round(figure.Value, 4);
            if (figure.Target is { } target)
                targets[figure.Key] = new JsonObject { ["target"] = target, ["goal"] = figure.Goal == Goal.AtMost ? "at most" : "at least", ["met"] = figure.Met };
        }
        var info = new JsonObject();
        foreach (var (key, value) in _info)
            info[key] = value;
        var document = new JsonObject { ["info"] = info, ["figures"] = figures, ["targets"] = targets };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
