namespace Threadline.Server.Api.Contracts;

/// <summary>The body of every API error: what was wrong, in a sentence.</summary>
public sealed record ApiError(string Error);

public sealed record HealthResponse(string Status, long Spans, long Logs, long BytesOnDisk);
