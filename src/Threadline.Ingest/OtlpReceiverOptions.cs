namespace Threadline.Ingest;

/// <summary>Limits that apply to every OTLP transport.</summary>
public sealed class OtlpReceiverOptions
{
    public const int DefaultMaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>The largest request body accepted, both as sent and after gzip decompression.</summary>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;
}
