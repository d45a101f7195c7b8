// Stands in for the AWS Lambda Node.js runtime and the SQS event-source mapping for one invocation of the
// consumer function. The test gives it the environment Lambda gives a function (_HANDLER, LAMBDA_TASK_ROOT,
// AWS_LAMBDA_FUNCTION_NAME, ...); instrumentation-aws-lambda reads _HANDLER and LAMBDA_TASK_ROOT to find the
// handler module and wraps its export when the module is loaded, as it does in a real function.
//
// Like the mapping's poller, it receives the message from the queue and deletes it after the handler
// succeeded; the poller is AWS's, not the application's, so those calls are made with tracing suppressed.
// The handler gets the SQS event Lambda would build from that message.
'use strict';

const path = require('path');
const { randomUUID } = require('crypto');
const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk');
const { AwsLambdaInstrumentation } = require('@opentelemetry/instrumentation-aws-lambda');
const { start, propagation, sqsConfig, required, report, run } = require('./telemetry');

const functionName = required('AWS_LAMBDA_FUNCTION_NAME');
let invocationSpan = null;
const telemetry = start(functionName, [
  new AwsInstrumentation(),
  new AwsLambdaInstrumentation({
    // With w3c, link the CONSUMER span to the producer through the message attributes the aws-sdk
    // instrumentation injected (with the global propagators); with xray, keep the instrumentation's default,
    // which links through each message's AWSTraceHeader.
    useGlobalPropagatorForSqsExtraction: propagation() === 'w3c',
    // Only observes which span the instrumentation started for the invocation, for the report.
    requestHook: span => { invocationSpan = span.spanContext(); },
  }),
]);
const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } = require('@aws-sdk/client-sqs');
const { context } = require('@opentelemetry/api');
const { suppressTracing } = require('@opentelemetry/core');

const untraced = action => context.with(suppressTracing(context.active()), action);

// Lambda's SQS event spells message attributes in camel case, with the list fields always present.
function toEventAttributes(messageAttributes) {
  const attributes = {};
  for (const [name, value] of Object.entries(messageAttributes ?? {})) {
    attributes[name] = {
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue).toString('base64'),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: value.BinaryListValues ?? [],
      dataType: value.DataType,
    };
  }
  return attributes;
}

function toRecord(message) {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: message.Attributes ?? {},
    messageAttributes: toEventAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody,
    md5OfMessageAttributes: message.MD5OfMessageAttributes,
    eventSource: 'aws:sqs',
    eventSourceARN: required('QUEUE_ARN'),
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}

// Long-polls until a message arrives or the deadline passes.
async function receiveOne(sqs, queueUrl, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const { Messages } = await untraced(() => sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    })));
    if (Messages?.length) {
      return Messages[0];
    }
  }
  throw new Error(`no message arrived on ${queueUrl} within ${deadlineMs} ms`);
}

run(async () => {
  const sqs = new SQSClient(sqsConfig());
  const queueUrl = required('QUEUE_URL');
  const message = await receiveOne(sqs, queueUrl, 10_000);
  const event = { Records: [toRecord(message)] };

  const [moduleName, exportName] = path.basename(required('_HANDLER')).split('.');
  const handlerModule = require(path.resolve(required('LAMBDA_TASK_ROOT'), moduleName));
  const awsRequestId = randomUUID();
  const deadline = Date.now() + 30_000;
  const lambdaContext = {
    functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: required('FUNCTION_ARN'),
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // The wrapped export: it starts the invocation span, runs the handler and flushes the provider.
  const response = await handlerModule[exportName](event, lambdaContext);
  await untraced(() => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle })));

  const exportedSpans = await telemetry.finish();
  report({
    requestId: awsRequestId,
    traceId: invocationSpan?.traceId ?? null,
    spanId: invocationSpan?.spanId ?? null,
    messageId: message.MessageId,
    wrapped: handlerModule[exportName].__wrapped === true,
    messageAttributes: Object.keys(message.MessageAttributes ?? {}).sort(),
    awsTraceHeader: message.Attributes?.AWSTraceHeader ?? null,
    response,
    exportedSpans,
  });
});
