using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Telemetry;
using OtlpLogRecord = Threadline.Ingest.Protocol.Logs.LogRecord;

namespace Threadline.Ingest.Normalize;

/// <summary>Turns an OTLP logs export request into <see cref="LogRecord"/>s, or rejects it whole.</summary>
public static class OtlpLogNormalizer
{
    /// <exception cref="OtlpFormatException">Any record has a malformed id or timestamp.</exception>
    public static List<Telemetry.LogRecord> Normalize(ExportLogsServiceRequest request)
    {
        var logs = new List<Telemetry.LogRecord>();
        for (var r = 0; r < request.ResourceLogs.Count; r++)
        {
            var resourceLogs = request.ResourceLogs[r];
            var resource = ResourceScopeFactory.CreateResource(resourceLogs.Resource, resourceLogs.SchemaUrl);
            for (var s = 0; s < resourceLogs.ScopeLogs.Count; s++)
            {
                var scopeLogs = resourceLogs.ScopeLogs[s];
                var scope = ResourceScopeFactory.CreateScope(scopeLogs.Scope);
                for (var i = 0; i < scopeLogs.LogRecords.Count; i++)
                {
                    var location = $"resourceLogs[{r}].scopeLogs[{s}].logRecords[{i}]";
                    logs.Add(ToRecord(scopeLogs.LogRecords[i], resource, scope, location));
                }
            }
        }
        return logs;
    }

    private static Telemetry.LogRecord ToRecord(OtlpLogRecord log, ResourceRecord resource, ScopeRecord scope, string location)
    {
        if (log.TimeUnixNano > long.MaxValue || log.ObservedTimeUnixNano > long.MaxValue)
            throw new OtlpFormatException($"{location}: timestamps must be below 2^63 nanoseconds.");

        // OTLP allows a record with only an observed time; it is then the record's time.
        var time = log.TimeUnixNano != 0 ? log.TimeUnixNano : log.ObservedTimeUnixNano;
        return new Telemetry.LogRecord
        {
            TimeUnixNano = (long)time,
            ObservedTimeUnixNano = (long)log.ObservedTimeUnixNano,
            TraceId = IdReader.OptionalTraceId(log.TraceId, location),
            SpanId = IdReader.OptionalSpanId(log.SpanId, location),
            Flags = log.Flags,
            SeverityNumber = (byte)Math.Clamp((int)log.SeverityNumber, 0, 24),
            SeverityText = NormalizationLimits.OptionalText(log.SeverityText),
            EventName = NormalizationLimits.OptionalText(log.EventName),
            Body = AnyValueConverter.ToValue(log.Body),
            Attributes = AnyValueConverter.ToAttributes(log.Attributes),
            DroppedAttributesCount = log.DroppedAttributesCount + AnyValueConverter.Excess(log.Attributes),
            Resource = resource,
            Scope = scope,
        };
    }
}
