using System.Globalization;

namespace Threadline.Query.Evaluation;

public enum SearchValueKind
{
    String,
    Number,
    Boolean,
    Duration,
}

/// <summary>A typed value a document holds for a field or an attribute.</summary>
public readonly record struct SearchValue
{
    private SearchValue(SearchValueKind kind, string? text, double number, bool boolean, long nanoseconds)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Boolean = boolean;
        Nanoseconds = nanoseconds;
    }

    public SearchValueKind Kind { get; }

    public string? Text { get; }

    public double Number { get; }

    public bool Boolean { get; }

    public long Nanoseconds { get; }

    public static SearchValue Of(string text) => new(SearchValueKind.String, text ?? throw new ArgumentNullException(nameof(text)), 0, false, 0);

    /// <summary>A number (integer and floating attributes alike).</summary>
    public static SearchValue Of(double number) => new(SearchValueKind.Number, null, number, false, 0);

    public static SearchValue Of(bool boolean) => new(SearchValueKind.Boolean, null, 0, boolean, 0);

    public static SearchValue OfDuration(long nanoseconds) => new(SearchValueKind.Duration, null, 0, false, nanoseconds);

    public override string ToString() => Kind switch
    {
        SearchValueKind.String => Text!,
        SearchValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        SearchValueKind.Boolean => Boolean ? "true" : "false",
        _ => Nanoseconds.ToString(CultureInfo.InvariantCulture) + "ns",
    };
}
