namespace Threadline.Tracer.Triggers;

/// <summary>Values of <c>threadline.trigger.kind</c> and <c>faas.trigger</c>.</summary>
internal static class TriggerKinds
{
    public const string ApiGateway = "apigateway";
    public const string ApiGatewayV2 = "apigatewayv2";
    public const string FunctionUrl = "function-url";
    public const string Sqs = "sqs";
    public const string Sns = "sns";
    public const string EventBridge = "eventbridge";
    public const string Kinesis = "kinesis";
    public const string DynamoDb = "dynamodb";
    public const string S3 = "s3";
    public const string Schedule = "schedule";
    public const string Invoke = "invoke";

    public const string Http = "http";
    public const string PubSub = "pubsub";
    public const string DataSource = "datasource";
    public const string Timer = "timer";
    public const string Other = "other";
}
