using System.Diagnostics;
using System.Text.Json;
using Threadline.Tracer.Batches;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer;

public sealed partial class ThreadlineTracer
{
    /// <summary>
    /// Processes a batch record by record, each as a child span of the invocation (<c>threadline.record.keys</c>, the
    /// record's correlation keys; <c>threadline.record.outcome</c>, <c>succeeded</c> or <c>failed</c>; a failure's
    /// exception), so the server can tell which record of a batch failed, and whose it was.
    /// <para>
    /// With <paramref name="reportBatchItemFailures"/> (the event source mapping has <c>ReportBatchItemFailures</c>) a
    /// failed record is caught and named in the returned <see cref="BatchResponse"/>: for SQS every record is processed,
    /// for Kinesis and DynamoDB Streams processing stops at the first failure (Lambda retries from it on, so the rest
    /// would be processed again anyway). A record that cannot be named (no message id or sequence number) fails the
    /// whole batch. Without it the first failure is rethrown unchanged and the batch fails as a whole.
    /// </para>
    /// Works without a tracer or outside an invocation too: then it only processes and builds the response.
    /// </summary>
    public static async Task<BatchResponse> ForEachRecordAsync<TRecord>(
        IEnumerable<TRecord> records, Func<TRecord, Task> handler, bool reportBatchItemFailures)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(handler);
        var failures = new List<BatchItemFailure>();
        foreach (var record in records)
        {
            var identity = Guard.Get("record.identity", () => Identify(record), null);
            using var span = Guard.Get("record.start", () => StartRecordSpan(identity), null);
            try
            {
                await handler(record).ConfigureAwait(false);
                span?.SetTag("threadline.record.outcome", "succeeded");
            }
            catch (Exception ex)
            {
                if (span is not null)
                {
                    Guard.Run("record.error", () =>
                    {
                        span.SetTag("threadline.record.outcome", "failed");
                        SpanPayloads.SetError(span, ex);
                    });
                }
                if (!reportBatchItemFailures || identity?.ItemIdentifier is not { } item)
                    throw;
                failures.Add(new BatchItemFailure(item));
                if (identity.Stream)
                    break;
            }
        }
        return new BatchResponse(failures);
    }

    private static BatchRecordIdentity? Identify<TRecord>(TRecord record)
    {
        if (record is JsonElement element)
            return BatchRecordIdentity.Of(element);
        var bytes = PayloadJson.ToUtf8(record);
        if (bytes is null)
            return null;
        using var document = JsonDocument.Parse(bytes);
        return BatchRecordIdentity.Of(document.RootElement);
    }

    private static Activity? StartRecordSpan(BatchRecordIdentity? identity)
    {
        if (InvocationScope.Current is not { IsCompleted: false } scope)
            return null;
        var tags = new ActivityTagsCollection();
        if (identity is not null)
        {
            tags["threadline.record.keys"] = identity.Keys.ToArray();
            if (identity.ItemIdentifier is { } item)
                tags["threadline.record.item_id"] = item;
        }
        return scope.Pipeline.Source.StartActivity("record", ActivityKind.Internal, scope.Activity.Context, tags);
    }
}
