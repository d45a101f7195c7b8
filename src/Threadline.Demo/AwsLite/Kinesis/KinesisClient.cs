using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Threadline.Demo.AwsLite.Kinesis;

/// <summary>Kinesis on AWS JSON 1.1 (<c>Kinesis_20131202</c>): <c>PutRecord</c>, <c>PutRecords</c>.</summary>
public sealed class KinesisClient(AWSCredentials credentials, LiteClientConfig config) : LiteServiceClient(credentials, config)
{
    private static readonly LiteMarshaller<PutRecordRequest> PutRecordMarshaller = new(r =>
        LiteRequests.Json(r, "Kinesis", "Kinesis_20131202.PutRecord", "1.1", Entry(r.PartitionKey, r.ExplicitHashKey, r.Data, Stream(r.StreamName, r.StreamARN))));

    private static readonly LiteMarshaller<PutRecordsRequest> PutRecordsMarshaller = new(r =>
    {
        var body = Stream(r.StreamName, r.StreamARN);
        body["Records"] = new JsonArray([.. r.Records.Select(e => (JsonNode)Entry(e.PartitionKey, e.ExplicitHashKey, e.Data, []))]);
        return LiteRequests.Json(r, "Kinesis", "Kinesis_20131202.PutRecords", "1.1", body);
    });

    private static readonly LiteJsonUnmarshaller<PutRecordResponse> PutRecordUnmarshaller = new(response =>
    {
        var body = response.Json();
        return new PutRecordResponse { ShardId = (string?)body["ShardId"], SequenceNumber = (string?)body["SequenceNumber"] };
    });

    private static readonly LiteJsonUnmarshaller<PutRecordsResponse> PutRecordsUnmarshaller = new(response =>
    {
        var body = response.Json();
        return new PutRecordsResponse
        {
            FailedRecordCount = (int?)body["FailedRecordCount"],
            Records = [.. (body["Records"]?.AsArray() ?? []).Select(e => new PutRecordsResultEntry
            {
                ShardId = (string?)e?["ShardId"],
                SequenceNumber = (string?)e?["SequenceNumber"],
                ErrorCode = (string?)e?["ErrorCode"],
                ErrorMessage = (string?)e?["ErrorMessage"],
            })],
        };
    });


    public static LiteClientConfig ConfigFor(string? serviceUrl = null, string region = "us-east-1") => new("Kinesis", "kinesis", "2013-12-02", serviceUrl, region);

    public Task<PutRecordResponse> PutRecordAsync(PutRecordRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PutRecordRequest, PutRecordResponse>(request, PutRecordMarshaller, PutRecordUnmarshaller, cancellationToken);

    public Task<PutRecordsResponse> PutRecordsAsync(PutRecordsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PutRecordsRequest, PutRecordsResponse>(request, PutRecordsMarshaller, PutRecordsUnmarshaller, cancellationToken);

    private static JsonObject Stream(string? name, string? arn)
    {
        var body = new JsonObject();
        if (name is not null)
            body["StreamName"] = name;
        if (arn is not null)
            body["StreamARN"] = arn;
        return body;
    }

    private static JsonObject Entry(string? partitionKey, string? explicitHashKey, MemoryStream? data, JsonObject into)
    {
        into["PartitionKey"] = partitionKey;
        if (explicitHashKey is not null)
            into["ExplicitHashKey"] = explicitHashKey;
        into["Data"] = Convert.ToBase64String(data?.ToArray() ?? []);
        return into;
    }
}
