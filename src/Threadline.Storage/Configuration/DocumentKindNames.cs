namespace Threadline.Storage.Configuration;

/// <summary>How every backend stores a <see cref="DocumentKind"/>: a stable name, so renaming the enum moves no data.</summary>
public static class DocumentKindNames
{
    public static string Of(DocumentKind kind) => kind switch
    {
        DocumentKind.AlertRule => "alert-rule",
        DocumentKind.AlertChannel => "alert-channel",
        DocumentKind.AlertSilence => "alert-silence",
        DocumentKind.Setting => "setting",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
