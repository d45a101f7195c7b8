namespace Threadline.Telemetry;

/// <summary>The OTLP span kind; the numeric values are the OTLP wire values.</summary>
public enum SpanKind : byte
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
