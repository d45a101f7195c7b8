using Threadline.Analysis.Batches;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>
/// Everything the transaction page shows: the transaction, its graph, its spans in start order, and (with the analysis)
/// what happened to the transaction's records in each batch consumer invocation.
/// </summary>
public sealed record TransactionView(Transaction Transaction, TransactionGraph Graph, IReadOnlyList<SpanRecord> Spans,
    IReadOnlyDictionary<string, DeliveryResult>? RecordResults = null)
{
    public GraphModel GraphModel { get; } = GraphModel.Of(Transaction, Graph);
    public TimelineModel Timeline { get; } = TimelineModel.Of(Transaction, Spans);
    public IReadOnlyList<StoryLine> Story { get; } = StoryModel.Of(Transaction, Spans, RecordResults);
}
