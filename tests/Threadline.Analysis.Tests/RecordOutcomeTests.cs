using Threadline.Analysis.Batches;
using static Threadline.Analysis.Batches.DeliveryResult;

namespace Threadline.Analysis.Tests;

/// <summary>The one rule that decides a batch record's outcome from its deliveries (issue 17).</summary>
public sealed class RecordOutcomeTests
{
    public static TheoryData<DeliveryResult[], bool, RecordOutcome, bool, bool> Cases => new()
    {
        { [Succeeded], false, RecordOutcome.Succeeded, false, false },
        { [Failed], false, RecordOutcome.Failed, true, false },
        { [Failed, Failed, Failed], false, RecordOutcome.Failed, true, false },
        { [Failed, Succeeded], false, RecordOutcome.Recovered, true, true },
        { [Failed, Failed], true, RecordOutcome.Lost, true, false },
        { [RetriedForOthers, Succeeded], false, RecordOutcome.Delayed, false, true },
        { [RetriedForOthers, RetriedForOthers], false, RecordOutcome.Delayed, false, false },
        { [RetriedForOthers, Failed, Succeeded], false, RecordOutcome.Recovered, true, true },
        { [BatchFailed], false, RecordOutcome.InFailedBatch, false, false },
        { [BatchFailed, Succeeded], false, RecordOutcome.Recovered, false, true },
        { [BatchFailed, BatchFailed], true, RecordOutcome.Lost, false, false },
        // A duplicate delivery after success changes nothing.
        { [Succeeded, Succeeded], false, RecordOutcome.Succeeded, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_outcome_follows_from_the_deliveries_in_order(DeliveryResult[] deliveries, bool deadLettered, RecordOutcome outcome, bool ownFailure, bool deliveredLater) =>
        Assert.Equal(new RecordFate(outcome, ownFailure, deliveredLater), RecordOutcomes.Derive(deliveries, deadLettered));

    private const string Destination = """
        {"requestContext":{"condition":"RetryAttemptsExhausted"},"KinesisBatchInfo":{"shardId":"shardId-000000000000",
        "startSequenceNumber":"49590338271490256608559692538361571095921575989136588898","endSequenceNumber":"49590338271490256608559692540925702759324208523137515618",
        "batchSize":2,"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/orders"}}
        """;

    private static string SqsEvent(params string[] bodies) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["Records"] = new System.Text.Json.Nodes.JsonArray([.. bodies.Select(b => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["body"] = b })]),
        }.ToJsonString();

    [Theory]
    [InlineData("kinesis:rec:orders/shardId-000000000000/49590338271490256608559692538361571095921575989136588898", true)]
    [InlineData("kinesis:rec:orders/shardId-000000000000/49590338271490256608559692540000000000000000000000000000", true)]
    [InlineData("kinesis:rec:orders/shardId-000000000000/49590338271490256608559692540925702759324208523137515618", true)]
    [InlineData("kinesis:rec:orders/shardId-000000000000/49590338271490256608559692540925702759324208523137515619", false)]
    [InlineData("kinesis:rec:orders/shardId-000000000000/4959033827149025660855969253836157109592157598913658889", false)]
    [InlineData("kinesis:rec:orders/shardId-000000000001/49590338271490256608559692538361571095921575989136588898", false)]
    [InlineData("kinesis:rec:payments/shardId-000000000000/49590338271490256608559692538361571095921575989136588898", false)]
    [InlineData("sqs:msg:49590338271490256608559692538361571095921575989136588898", false)]
    public void A_stream_record_in_the_range_a_destination_consumer_received_was_dropped_after_its_last_retry(string key, bool dropped)
    {
        var ranges = SkippedStreamRange.FromEvent(SqsEvent("not json {KinesisBatchInfo", "{\"other\":1}", Destination));
        Assert.Equal("orders/shardId-000000000000", Assert.Single(ranges).Shard);
        Assert.Equal(dropped, RecordOutcomes.DroppedAfterLastRetry(key, ranges));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{\"Records\":[{\"body\":\"{\\\"KinesisBatchInfo\\\":{\\\"shardId\\\":\\\"s\\\"}}\"}]}")]
    [InlineData("{\"Records\":[{\"body\":\"{\\\"KinesisBatchInfo")]
    public void An_event_without_a_complete_invocation_record_names_no_range(string? eventJson) =>
        Assert.Empty(SkippedStreamRange.FromEvent(eventJson));

    [Fact]
    public void The_sns_events_in_an_async_on_failure_record_are_the_dropped_ones()
    {
        const string record = """
            {"requestContext":{"condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"Records":[
            {"EventSource":"aws:sns","Sns":{"MessageId":"95df01b4-ee98-5cb9-9903-4c221d41eb5e","Message":"{}"}}]},
            "responsePayload":{"errorType":"InvalidOperationException"}}
            """;
        Assert.Equal(["sns:msg:95df01b4-ee98-5cb9-9903-4c221d41eb5e"], DroppedAsyncEvents.KeysInEvent(SqsEvent("{\"requestPayload\"", record)));
        Assert.Empty(DroppedAsyncEvents.KeysInEvent(SqsEvent("""{"requestPayload":{"Records":[{"Sns":{"MessageId":"m"}}]}}""")));
        Assert.Empty(DroppedAsyncEvents.KeysInEvent(null));
    }
}
