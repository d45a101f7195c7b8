namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    // Each transaction's summary is kept current in the state as its members change, so that a list query reads
    // summaries (bounded by range and limit) instead of summarizing every transaction.
    private void PutSummary(InvocationId entry, IReadOnlyCollection<InvocationId> members) =>
        _state.PutSummary(Summarize(entry, [.. members.Select(_state.GetInvocation).OfType<Invocation>()]));

    private void DropSummary(InvocationId entry) => _state.RemoveSummary(entry);
}
