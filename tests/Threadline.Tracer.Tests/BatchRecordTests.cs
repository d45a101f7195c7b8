using System.Diagnostics;
using System.Text.Json.Nodes;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>
/// <see cref="ThreadlineTracer.ForEachRecordAsync{TRecord}"/>: one child span per record with its keys and outcome, the
/// partial batch response it builds, and the invocation span's account of the records the response reports failed.
/// </summary>
public sealed class BatchRecordTests : IDisposable
{
    private readonly TracerHarness _harness = TracerHarness.Create();

    public void Dispose() => _harness.Dispose();

    private static JsonArray Records(string sample) => JsonNode.Parse(Samples.Read(sample))!["Records"]!.AsArray();

    private List<Activity> RecordSpans => [.. _harness.Children.Where(s => s.OperationName == "record").OrderBy(s => s.StartTimeUtc)];

    [Fact]
    public async Task Sqs_failure_is_reported_by_message_id_and_every_record_is_processed_and_traced()
    {
        var response = await _harness.Tracer.InvokeAsync(Samples.Read("sqs-batch"), new FakeLambdaContext(), (input, _) =>
            ThreadlineTracer.ForEachRecordAsync(JsonNode.Parse(input)!["Records"]!.AsArray(), record =>
                record!["messageId"]!.GetValue<string>().StartsWith("2e14", StringComparison.Ordinal)
                    ? throw new InvalidOperationException("no stock for o-2")
                    : Task.CompletedTask, reportBatchItemFailures: true));

        Assert.Equal([new BatchItemFailure("2e1424d4-f796-459a-8184-9c92662be6da")], response.BatchItemFailures);
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"}]}""", response.ToJson().ToJsonString());
        var spans = RecordSpans;
        Assert.Equal(["succeeded", "failed", "succeeded"], spans.Select(s => s.Str("threadline.record.outcome")));
        Assert.Equal(["sqs:msg:2e1424d4-f796-459a-8184-9c92662be6da", "sns:msg:95df01b4-ee98-5cb9-9903-4c221d41eb5e"], spans[1].Strings("threadline.record.keys"));
        Assert.Equal("2e1424d4-f796-459a-8184-9c92662be6da", spans[1].Str("threadline.record.item_id"));
        Assert.Equal((ActivityStatusCode.Error, "no stock for o-2"), (spans[1].Status, spans[1].StatusDescription));
        Assert.Contains(spans[1].Events, e => e.Name == "exception");
        Assert.All(spans, s => Assert.Equal(_harness.Invocation.SpanId, s.ParentSpanId));

        var invocation = _harness.Invocation;
        Assert.Equal(["sqs:msg:2e1424d4-f796-459a-8184-9c92662be6da", "sns:msg:95df01b4-ee98-5cb9-9903-4c221d41eb5e"],
            invocation.Strings("threadline.trigger.failed_keys"));
        Assert.Equal((ActivityStatusCode.Error, "1 of 3 records reported failed (batchItemFailures)"), (invocation.Status, invocation.StatusDescription));
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task A_stream_stops_at_the_first_failure_and_reports_its_sequence_number()
    {
        var records = Records("dynamodb-batch");
        var seen = new List<string>();
        var response = await _harness.Tracer.InvokeAsync(Samples.Read("dynamodb-batch"), new FakeLambdaContext(), (_, _) =>
            ThreadlineTracer.ForEachRecordAsync(records, record =>
            {
                var sequence = record!["dynamodb"]!["SequenceNumber"]!.GetValue<string>();
                seen.Add(sequence);
                return sequence.EndsWith("092", StringComparison.Ordinal) ? throw new TimeoutException("slow table") : Task.CompletedTask;
            }, reportBatchItemFailures: true));

        Assert.Equal([new BatchItemFailure("4421584500000000017450439092")], response.BatchItemFailures);
        Assert.Equal(["4421584500000000017450439091", "4421584500000000017450439092"], seen);
        Assert.Equal(["succeeded", "failed"], RecordSpans.Select(s => s.Str("threadline.record.outcome")));
        Assert.All(RecordSpans, s => Assert.StartsWith("dynamodb:item:", Assert.Single(s.Strings("threadline.record.keys")), StringComparison.Ordinal));
        Assert.Single(_harness.Invocation.Strings("threadline.trigger.failed_keys"));
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task Without_partial_responses_the_first_failure_is_rethrown_unchanged_and_fails_the_batch()
    {
        var thrown = new InvalidOperationException("bad record");
        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _harness.Tracer.InvokeAsync(Samples.Read("kinesis-batch"), new FakeLambdaContext(), (input, _) =>
                ThreadlineTracer.ForEachRecordAsync(JsonNode.Parse(input)!["Records"]!.AsArray(), _ => throw thrown, reportBatchItemFailures: false)));

        Assert.Same(thrown, caught);
        var span = Assert.Single(RecordSpans);
        Assert.Equal("failed", span.Str("threadline.record.outcome"));
        Assert.StartsWith("kinesis:rec:", Assert.Single(span.Strings("threadline.record.keys")), StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Error, _harness.Invocation.Status);
        Assert.Empty(_harness.Invocation.Strings("threadline.trigger.failed_keys"));
    }

    [Fact]
    public async Task Outside_an_invocation_it_only_processes_and_builds_the_response()
    {
        var response = await ThreadlineTracer.ForEachRecordAsync(Records("sqs-batch"), _ => throw new InvalidOperationException("x"), reportBatchItemFailures: true);

        Assert.Equal(3, response.BatchItemFailures.Count);
        Assert.Empty(_harness.Spans.Items);
    }
}
