using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace Threadline.Sandbox.Tests;

/// <summary>Real AWS SDK for .NET clients pointed at a sandbox, as a user configures them (ServiceURL).</summary>
internal static class AwsClients
{
    private static readonly BasicAWSCredentials Credentials = new("sandbox", "sandbox");

    public static AmazonSQSClient Sqs(SandboxHost sandbox) =>
        new(Credentials, new AmazonSQSConfig { ServiceURL = sandbox.Endpoint.ToString(), AuthenticationRegion = sandbox.Options.Region });

    public static AmazonS3Client S3(SandboxHost sandbox) =>
        new(Credentials, new AmazonS3Config { ServiceURL = sandbox.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = sandbox.Options.Region });

    public static AmazonDynamoDBClient DynamoDb(SandboxHost sandbox) =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = sandbox.Endpoint.ToString(), AuthenticationRegion = sandbox.Options.Region });
}
