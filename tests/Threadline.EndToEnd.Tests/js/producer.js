// The producer: a service instrumented with the OpenTelemetry JS SDK and instrumentation-aws-sdk. Inside
// one root span (its invocation) it looks the queue up and sends an order message with the instrumented SQS
// client; the instrumentation names the PRODUCER span after the queue, records the message id the sandbox
// answered and injects the trace context into the message attributes with the global propagators.
//
// With PROPAGATION=xray, instrumentation-http also puts the X-Ray header on the HTTP requests to SQS, which
// SQS keeps as the message's AWSTraceHeader system attribute.
'use strict';

const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { start, propagation, sqsConfig, required, report, run } = require('./telemetry');

const telemetry = start(required('PRODUCER_SERVICE'),
  propagation() === 'xray' ? [new AwsInstrumentation(), new HttpInstrumentation()] : [new AwsInstrumentation()]);
// Loaded after the instrumentation is registered, so that its classes are patched.
const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { trace, SpanStatusCode } = require('@opentelemetry/api');

run(async () => {
  const sqs = new SQSClient(sqsConfig());
  const tracer = trace.getTracer('threadline-end-to-end-producer');
  const sent = await tracer.startActiveSpan('place-order', async root => {
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: required('QUEUE_NAME') }));
      const answer = await sqs.send(new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify({ orderId: 'o-1042', total: 31.5 }),
        MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
      }));
      return { messageId: answer.MessageId, traceId: root.spanContext().traceId, spanId: root.spanContext().spanId };
    } catch (error) {
      root.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      root.end();
    }
  });
  const exportedSpans = await telemetry.finish();
  report({ ...sent, exportedSpans });
});
