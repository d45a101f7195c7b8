namespace Threadline.Ingest;

/// <summary>Limits that apply to every OTLP transport.</summary>
public sealed class OtlpReceiverOptions
{
    public const int DefaultMaxRequestBytes = 16 * 1024 * 1024;
    public const int DefaultMaxQueuedBytes = 16 * 1024 * 1024;

    /// <summary>The largest request body accepted, both as sent and after gzip decompression.</summary>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>
    /// The bytes of request bodies (decompressed) held at once between arriving and being answered; beyond it
    /// senders are told to retry (see <see cref="Receive.QueuedBytesBudget"/>).
    /// </summary>
    public long MaxQueuedBytes { get; set; } = DefaultMaxQueuedBytes;
}
