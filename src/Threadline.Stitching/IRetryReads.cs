namespace Threadline.Stitching;

/// <summary>What telling a duplicate delivery reads (<see cref="StitchEngine"/>'s retry rule): invocations, the consumers of a key, the readers of a stream record.</summary>
public interface IRetryReads
{
    Invocation? GetInvocation(InvocationId id);

    /// <summary>Invocations with <paramref name="key"/> among their <see cref="Invocation.Inbound"/> keys.</summary>
    IReadOnlyCollection<InvocationId> Consumers(string key);

    /// <summary>Invocations with a stream record of <paramref name="table"/> whose first (smallest) pair is <paramref name="pair"/>.</summary>
    IReadOnlyCollection<InvocationId> DynamoReaders(string table, string pair);
}

/// <summary>The invocations of many traces, and the reads that tell which of them are duplicate deliveries.</summary>
/// <param name="Traces">Each requested trace's invocation ids (empty when it has none).</param>
public sealed record TraceInvocationReads(IReadOnlyDictionary<UInt128, IReadOnlyCollection<InvocationId>> Traces, IRetryReads Reads);
