namespace Threadline.Storage.Derived.Search;

/// <summary>
/// One write of the search index, in one transaction: the stored rows of <see cref="Traces"/> and those of
/// <see cref="Invocations"/> are removed, <see cref="Rows"/> stored (each of a removed trace or invocation, or of a new
/// trace, so writing the same rows again gives the same index) and, when given, the watermark set.
/// </summary>
public sealed record SearchIndexWrite(IReadOnlyList<SearchInvocationRow> Rows, long? Watermark)
{
    /// <summary>Traces whose every stored invocation is removed.</summary>
    public IReadOnlyCollection<UInt128> Traces { get; init; } = [];

    /// <summary>Invocations (trace id and root span id) whose stored row is removed, if there is one.</summary>
    public IReadOnlyCollection<(UInt128 TraceId, ulong SpanId)> Invocations { get; init; } = [];

    /// <summary>Traces first stored in this write: they have no rows to remove, and their rows need not be listed.</summary>
    public IReadOnlySet<UInt128> NewTraces { get; init; } = new HashSet<UInt128>();

    /// <summary>
    /// Every stored row to remove started at or after this (the earliest span of its trace): the backend looks for them
    /// only from there on.
    /// </summary>
    public long StoredFromUnixNano { get; init; } = long.MinValue;
}
