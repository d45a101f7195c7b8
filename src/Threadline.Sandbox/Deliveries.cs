using System.Text.Json.Nodes;
using Threadline.Sandbox.Protocol;
using Threadline.Sandbox.Sqs;

namespace Threadline.Sandbox;

/// <summary>
/// Hands an event from one service to a target ARN as AWS does: functions are invoked asynchronously (Event),
/// queues receive the event JSON as the message body, topics publish it as the message.
/// </summary>
internal sealed class Deliveries(SandboxHost host)
{
    /// <summary>Delivers and returns the id the target assigned (request id, message id).</summary>
    public string Deliver(string targetArn, JsonNode message, string? subject = null, string? traceHeader = null) =>
        Arns.ServiceOf(targetArn) switch
        {
            "lambda" => host.Functions.InvokeEvent(targetArn, message),
            "sqs" => host.Sqs.Send(targetArn, message.ToWire(), traceHeader: traceHeader),
            "sns" => host.Sns.Publish(targetArn, message.ToWire(), subject, traceHeader: traceHeader),
            _ => throw new AwsException("InvalidArgument", $"Unsupported destination: {targetArn}"),
        };

    /// <summary>Sends a message body (and attributes) to a queue, returning the message id.</summary>
    public string SendToQueue(string queueArn, string body, IReadOnlyDictionary<string, MessageAttribute>? attributes, string? traceHeader) =>
        host.Sqs.Send(queueArn, body, attributes, traceHeader);

    /// <summary>Whether the target exists, checked when a notification or subscription is configured.</summary>
    public bool Exists(string targetArn) => Arns.ServiceOf(targetArn) switch
    {
        "lambda" => host.Functions.Exists(targetArn),
        "sqs" => host.Sqs.Exists(targetArn),
        "sns" => host.Sns.Exists(targetArn),
        _ => false,
    };
}
