using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.AspNetCore.Http;

namespace Threadline.Tracer.Tests.Support;

/// <summary>
/// A local endpoint that answers like AWS for the calls the tests make: SQS and DynamoDB on the JSON 1.0
/// protocol (<c>X-Amz-Target</c>), S3 on REST with <c>x-amz-request-id</c> and <c>ETag</c> headers.
/// Every id it hands out is kept so tests can compare them with what the tracer recorded.
/// </summary>
public sealed class FakeAws : IAsyncDisposable
{
    private static readonly BasicAWSCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private int _next;
    private LocalServer _server = null!;

    public ConcurrentQueue<string> MessageIds { get; } = new();

    public ConcurrentQueue<string> RequestIds { get; } = new();

    public ConcurrentQueue<string> ETags { get; } = new();

    public LocalServer Server => _server;

    /// <summary>When set, SQS calls answer 400 with this error code.</summary>
    public string? SqsError { get; set; }

    public static async Task<FakeAws> StartAsync()
    {
        var fake = new FakeAws();
        fake._server = await LocalServer.StartAsync(fake.AnswerAsync);
        return fake;
    }

    public AmazonSQSClient Sqs() => new(Credentials, new AmazonSQSConfig { ServiceURL = _server.Url.ToString(), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

    public AmazonDynamoDBClient DynamoDb() => new(Credentials, new AmazonDynamoDBConfig { ServiceURL = _server.Url.ToString(), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

    public AmazonS3Client S3() => new(Credentials, new AmazonS3Config { ServiceURL = _server.Url.ToString(), AuthenticationRegion = "eu-west-1", ForcePathStyle = true, MaxErrorRetry = 0 });

    public string QueueUrl(string name) => new Uri(_server.Url, "123456789012/" + name).ToString();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next):D4}-{Guid.NewGuid():N}";

    private async Task AnswerAsync(RecordedRequest request, HttpContext context)
    {
        var requestId = NextId("req");
        RequestIds.Enqueue(requestId);
        var target = request.Header("X-Amz-Target");
        if (target is null)
        {
            await AnswerS3Async(request, context, requestId);
            return;
        }
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.ContentType = "application/x-amz-json-1.0";
        var body = JsonNode.Parse(request.Body.Length == 0 ? "{}"u8 : request.Body)!.AsObject();
        if (target.StartsWith("AmazonSQS.", StringComparison.Ordinal) && SqsError is { } error)
        {
            context.Response.StatusCode = 400;
            context.Response.Headers["x-amzn-query-error"] = "AWS.SimpleQueueService.NonExistentQueue;Sender";
            await context.Response.WriteAsync($$"""{"__type":"com.amazonaws.sqs#{{error}}","message":"The specified queue does not exist."}""");
            return;
        }
        var answer = target switch
        {
            "AmazonSQS.SendMessage" => SendMessage(body),
            "AmazonSQS.SendMessageBatch" => new JsonObject
            {
                ["Successful"] = new JsonArray(body["Entries"]!.AsArray().Select(e =>
                {
                    var sent = SendMessage(e!.AsObject());
                    sent["Id"] = e!["Id"]!.GetValue<string>();
                    return (JsonNode)sent;
                }).ToArray()),
                ["Failed"] = new JsonArray(),
            },
            "DynamoDB_20120810.BatchWriteItem" => new JsonObject { ["UnprocessedItems"] = new JsonObject() },
            _ when target.StartsWith("DynamoDB_20120810.", StringComparison.Ordinal) => new JsonObject(),
            _ => null,
        };
        if (answer is null)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($$"""{"__type":"UnknownOperationException","message":"{{target}}"}""");
            return;
        }
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject SendMessage(JsonObject message)
    {
        var id = NextId("msg");
        MessageIds.Enqueue(id);
        var text = message["MessageBody"]?.GetValue<string>() ?? "";
        return new JsonObject
        {
            ["MessageId"] = id,
            ["MD5OfMessageBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))),
        };
    }

    private async Task AnswerS3Async(RecordedRequest request, HttpContext context, string requestId)
    {
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers["x-amz-id-2"] = "Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==";
        if (request.Method == "PUT")
        {
            var etag = Convert.ToHexStringLower(MD5.HashData(request.Body));
            ETags.Enqueue(etag);
            context.Response.Headers.ETag = "\"" + etag + "\"";
        }
        context.Response.StatusCode = 200;
        await context.Response.CompleteAsync();
    }

    public static JsonElement Json(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;
}
