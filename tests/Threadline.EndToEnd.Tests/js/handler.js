// The consumer's function code, as deployed: an SQS-triggered Lambda handler. It knows nothing of
// OpenTelemetry; instrumentation-aws-lambda wraps the `handler` export when this module is loaded.
'use strict';

exports.handler = async event => {
  const orders = event.Records.map(record => JSON.parse(record.body).orderId);
  console.log(`notifying for ${orders.join(', ')}`);
  return { batchItemFailures: [] };
};
