namespace Threadline.Ingest.Decode;

/// <summary>The two OTLP/HTTP body encodings.</summary>
public enum OtlpEncoding
{
    Protobuf,
    Json,
}
