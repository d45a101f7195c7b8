// A producer traced only by the AWS X-Ray SDK for Node.js (aws-xray-sdk-core), sending one order message with the
// AWS SDK for JS v3 SQS client (captured by captureAWSv3Client) to the sandbox's queue. The SDK sends its documents
// to AWS_XRAY_DAEMON_ADDRESS over UDP, the X-Ray daemon protocol; the test points it at Threadline.
//
// MODE=segment: a service outside Lambda; one segment, sent when closed with its subsegments inside.
// MODE=lambda: as in a Lambda function (LAMBDA_TASK_ROOT and _X_AMZN_TRACE_ID set by the test, as Lambda sets them):
// the SDK works under a facade segment it never sends, and streams each subsegment alone when it closes.
'use strict';

const { required, sqsConfig, udpFlushed, report, run } = require('./common');
const mode = required('MODE');
required('AWS_XRAY_DAEMON_ADDRESS');
const AWSXRay = require('aws-xray-sdk-core');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

AWSXRay.setContextMissingStrategy('RUNTIME_ERROR');

async function sendOrder() {
  const sqs = AWSXRay.captureAWSv3Client(new SQSClient(sqsConfig()));
  const answer = await sqs.send(new SendMessageCommand({
    QueueUrl: required('QUEUE_URL'),
    MessageBody: JSON.stringify({ orderId: 'o-2051', total: 12.25 }),
  }));
  return answer.MessageId;
}

run(async () => {
  let result;
  if (mode === 'segment') {
    const segment = new AWSXRay.Segment(required('SERVICE_NAME'));
    const messageId = await AWSXRay.getNamespace().runPromise(async () => {
      AWSXRay.setSegment(segment);
      return AWSXRay.captureAsyncFunc('place-order', async subsegment => {
        try {
          subsegment.addAnnotation('tenant', 'acme');
          return await sendOrder();
        } finally {
          subsegment.close();
        }
      });
    });
    segment.close();
    result = { messageId, traceId: segment.trace_id, segmentId: segment.id };
  } else if (mode === 'lambda') {
    required('LAMBDA_TASK_ROOT');
    const facade = AWSXRay.getSegment();
    const messageId = await AWSXRay.captureAsyncFunc('place-order', async subsegment => {
      try {
        return await sendOrder();
      } finally {
        subsegment.close();
      }
    });
    result = { messageId, traceId: facade.trace_id, facadeId: facade.id };
  } else {
    throw new Error(`MODE must be segment or lambda, not ${mode}`);
  }
  const datagrams = await udpFlushed();
  report({ ...result, datagrams });
});
