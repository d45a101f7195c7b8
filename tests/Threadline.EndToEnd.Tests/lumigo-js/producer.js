// A Node.js Lambda handler wrapped by the open-source Lumigo tracer (@lumigo/tracer), invoked once as the Lambda
// runtime would: an API Gateway-like event and a context object. The handler sends an order message to the
// sandbox's SQS with @aws-sdk/client-sqs. The tracer reports to https://LUMIGO_TRACER_HOST/api/spans (Threadline's
// TLS listener, trusted through NODE_EXTRA_CA_CERTS): first the `<requestId>_started` span, then the function span
// with the SQS call.
//
// The tracer recognises AWS calls by their host name (sqs.<region>.amazonaws.com), so the SQS client is given that
// endpoint with the sandbox's port, and its agent resolves every name to 127.0.0.1: no traffic leaves the machine.
'use strict';

const fs = require('fs');
const http = require('http');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

const lumigo = require('@lumigo/tracer')({ token: required('LUMIGO_TRACER_TOKEN') });
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

const loopback = (hostname, options, callback) =>
  options && options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);

const region = required('AWS_REGION');
const sqs = new SQSClient({
  region,
  endpoint: `http://sqs.${region}.amazonaws.com:${required('SANDBOX_PORT')}`,
  credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ lookup: loopback }) }),
});

exports.handler = lumigo.trace(async (event) => {
  const order = JSON.parse(event.body);
  const answer = await sqs.send(new SendMessageCommand({
    QueueUrl: required('QUEUE_URL'),
    MessageBody: JSON.stringify({ orderId: order.orderId, total: order.total }),
  }));
  return { statusCode: 202, body: JSON.stringify({ accepted: order.orderId, messageId: answer.MessageId }) };
});

async function main() {
  const requestId = required('REQUEST_ID');
  const functionName = required('AWS_LAMBDA_FUNCTION_NAME');
  const deadline = Date.now() + 30000;
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: required('FUNCTION_ARN'),
    memoryLimitInMB: required('AWS_LAMBDA_FUNCTION_MEMORY_SIZE'),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/07/[$LATEST]threadline',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const event = {
    resource: '/orders',
    path: '/orders',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'apigw-req-1', stage: 'prod', httpMethod: 'POST', path: '/prod/orders' },
    body: JSON.stringify({ orderId: 'o-2077', total: 12.5 }),
  };
  const result = await exports.handler(event, context);
  fs.writeFileSync(required('REPORT_FILE'), JSON.stringify({ requestId, result }));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
