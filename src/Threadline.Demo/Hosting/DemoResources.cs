using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Threadline.Sandbox;

namespace Threadline.Demo.Hosting;

/// <summary>Creates the demo's queues, tables, buckets, stream and topic, with the real SDK clients where they exist.</summary>
internal static class DemoResources
{
    public static async Task<(string PaymentsQueueUrl, string LunchTopicArn)> CreateAsync(SandboxHost sandbox, DemoClients clients, CancellationToken cancellationToken)
    {
        using var sqs = clients.Sqs();
        var paymentsQueueUrl = (await sqs.CreateQueueAsync(DemoNames.PaymentsQueue, cancellationToken).ConfigureAwait(false)).QueueUrl;
        await sqs.CreateQueueAsync(DemoNames.LunchQueue, cancellationToken).ConfigureAwait(false);

        using var dynamo = clients.DynamoDb();
        await CreateTableAsync(dynamo, DemoNames.PaymentsTable, "paymentId", StreamViewType.NEW_IMAGE, cancellationToken).ConfigureAwait(false);
        await CreateTableAsync(dynamo, DemoNames.LoyaltyTable, "userId", null, cancellationToken).ConfigureAwait(false);

        using var s3 = clients.S3();
        await s3.PutBucketAsync(DemoNames.ReceiptsBucket, cancellationToken).ConfigureAwait(false);
        await s3.PutBucketAsync(DemoNames.ArchiveBucket, cancellationToken).ConfigureAwait(false);

        sandbox.Kinesis.CreateStream(DemoNames.ClickstreamStream, shardCount: 1);
        var lunchTopicArn = sandbox.Sns.CreateTopic(DemoNames.LunchTopic);
        return (paymentsQueueUrl, lunchTopicArn);
    }

    /// <summary>Receipt uploads invoke archive-receipt.</summary>
    public static async Task NotifyOnReceiptsAsync(SandboxHost sandbox, DemoClients clients, CancellationToken cancellationToken)
    {
        using var s3 = clients.S3();
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = DemoNames.ReceiptsBucket,
            LambdaFunctionConfigurations =
            [
                new LambdaFunctionConfiguration
                {
                    FunctionArn = sandbox.Arns.Function(DemoNames.ArchiveReceipt),
                    Events = [EventType.ObjectCreatedPut],
                    Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("prefix", "receipts/")] } },
                },
            ],
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task CreateTableAsync(AmazonDynamoDBClient dynamo, string name, string key, StreamViewType? stream, CancellationToken cancellationToken) =>
        dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new KeySchemaElement(key, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(key, ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
            StreamSpecification = stream is null ? null : new StreamSpecification { StreamEnabled = true, StreamViewType = stream },
        }, cancellationToken);
}
