namespace Threadline.Ingest.Decode;

/// <summary>A request body that is not valid OTLP; the message says what was wrong.</summary>
public sealed class OtlpFormatException(string message, Exception? innerException = null) : Exception(message, innerException);
