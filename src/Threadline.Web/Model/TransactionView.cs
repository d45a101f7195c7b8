using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>Everything the transaction page shows: the transaction, its graph, and its spans in start order.</summary>
public sealed record TransactionView(Transaction Transaction, TransactionGraph Graph, IReadOnlyList<SpanRecord> Spans)
{
    public GraphModel GraphModel { get; } = GraphModel.Of(Transaction, Graph);
    public TimelineModel Timeline { get; } = TimelineModel.Of(Transaction, Spans);
    public IReadOnlyList<StoryLine> Story { get; } = StoryModel.Of(Transaction, Spans);
}
