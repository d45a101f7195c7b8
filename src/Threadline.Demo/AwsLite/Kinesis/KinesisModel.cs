using Amazon.Runtime;

namespace Threadline.Demo.AwsLite.Kinesis;

/// <summary>Kinesis <c>PutRecord</c> input, with the real SDK's member names.</summary>
public sealed class PutRecordRequest : AmazonWebServiceRequest
{
    public string? StreamName { get; set; }

    public string? StreamARN { get; set; }

    public string? PartitionKey { get; set; }

    public string? ExplicitHashKey { get; set; }

    public MemoryStream? Data { get; set; }
}

/// <summary>Kinesis <c>PutRecord</c> output.</summary>
public sealed class PutRecordResponse : AmazonWebServiceResponse
{
    public string? ShardId { get; set; }

    public string? SequenceNumber { get; set; }
}

/// <summary>Kinesis <c>PutRecords</c> input.</summary>
public sealed class PutRecordsRequest : AmazonWebServiceRequest
{
    public string? StreamName { get; set; }

    public string? StreamARN { get; set; }

    public List<PutRecordsRequestEntry> Records { get; set; } = [];
}

/// <summary>One record of a <c>PutRecords</c> request.</summary>
public sealed class PutRecordsRequestEntry
{
    public string? PartitionKey { get; set; }

    public string? ExplicitHashKey { get; set; }

    public MemoryStream? Data { get; set; }
}

/// <summary>Kinesis <c>PutRecords</c> output: one result per request record, in request order.</summary>
public sealed class PutRecordsResponse : AmazonWebServiceResponse
{
    public int? FailedRecordCount { get; set; }

    public List<PutRecordsResultEntry> Records { get; set; } = [];
}

/// <summary>The result of one record: its shard and sequence number, or an error.</summary>
public sealed class PutRecordsResultEntry
{
    public string? ShardId { get; set; }

    public string? SequenceNumber { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
