namespace Threadline.Server.Api.Contracts;

/// <summary>One log record as the API returns it; ids are hex, absent ids are null.</summary>
public sealed record LogResponse(
    long TimeUnixNano,
    long ObservedTimeUnixNano,
    string? TraceId,
    string? SpanId,
    int SeverityNumber,
    string? SeverityText,
    string? EventName,
    object? Body,
    IDictionary<string, object?> Attributes,
    string Service,
    IDictionary<string, object?> Resource,
    ScopeResponse Scope);

public sealed record LogsResponse(string TraceId, IReadOnlyList<LogResponse> Logs);
