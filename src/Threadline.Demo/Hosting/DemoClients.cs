using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Threadline.Demo.AwsLite.EventBridge;
using Threadline.Demo.AwsLite.Kinesis;
using Threadline.Demo.AwsLite.Lambda;
using Threadline.Demo.AwsLite.Sns;

namespace Threadline.Demo.Hosting;

/// <summary>AWS service clients pointed at the sandbox, as a function creates them in its init phase.</summary>
public sealed class DemoClients(Uri sandboxEndpoint, string region)
{
    private static readonly AWSCredentials Credentials = new BasicAWSCredentials("demo", "demo");

    private string Url => sandboxEndpoint.ToString();

    public AmazonSQSClient Sqs() => new(Credentials, new AmazonSQSConfig { ServiceURL = Url, AuthenticationRegion = region });

    public AmazonDynamoDBClient DynamoDb() => new(Credentials, new AmazonDynamoDBConfig { ServiceURL = Url, AuthenticationRegion = region });

    public AmazonS3Client S3() => new(Credentials, new AmazonS3Config { ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = region });

    public SnsClient Sns() => new(Credentials, SnsClient.ConfigFor(Url, region));

    public KinesisClient Kinesis() => new(Credentials, KinesisClient.ConfigFor(Url, region));

    public EventBridgeClient EventBridge() => new(Credentials, EventBridgeClient.ConfigFor(Url, region));

    public LambdaClient Lambda() => new(Credentials, LambdaClient.ConfigFor(Url, region));
}
