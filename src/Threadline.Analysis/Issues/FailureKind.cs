namespace Threadline.Analysis.Issues;

/// <summary>What kind of failure an issue groups.</summary>
public enum FailureKind
{
    /// <summary>The handler threw or returned an error.</summary>
    Error,
    /// <summary>The Lambda deadline was reached (<c>threadline.timeout</c>).</summary>
    Timeout,
    /// <summary>The runtime ran out of memory.</summary>
    OutOfMemory,
    /// <summary>A third-party or AWS call answered 4xx/5xx (or failed) and the function turned it into an error.</summary>
    OutgoingCall,
}
