namespace Threadline.Query.Parsing;

/// <summary>A value as written, before its field's type reads it: <see cref="Written"/> is the exact source text.</summary>
internal sealed record RawValue(int Offset, string Written, string Text, bool Quoted, bool LeadingStar, bool TrailingStar)
{
    public bool IsLoneStar => LeadingStar && !Quoted && Text.Length == 0 && !TrailingStar;
}
