namespace Threadline.Telemetry;

/// <summary>The OTLP span status code; the numeric values are the OTLP wire values.</summary>
public enum StatusCode : byte
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
