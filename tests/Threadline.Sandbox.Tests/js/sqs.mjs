import { SQSClient, CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, SendMessageBatchCommand,
  ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import { config, report } from "./sandbox.mjs";

const sqs = new SQSClient(config);
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js-queue" }));
const again = await sqs.send(new GetQueueUrlCommand({ QueueName: "js-queue" }));
const sent = await sqs.send(new SendMessageCommand({
  QueueUrl,
  MessageBody: "hello",
  MessageAttributes: { traceparent: { DataType: "String", StringValue: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } },
}));
const batch = await sqs.send(new SendMessageBatchCommand({
  QueueUrl,
  Entries: [{ Id: "a", MessageBody: "one" }, { Id: "b", MessageBody: "two" }],
}));
const received = await sqs.send(new ReceiveMessageCommand({
  QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"],
}));
const first = received.Messages[0];
await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
const redelivered = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
for (const m of [...received.Messages.slice(1), ...redelivered.Messages]) {
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
}
let missing = null;
try {
  await sqs.send(new GetQueueUrlCommand({ QueueName: "no-such-queue" }));
} catch (e) {
  missing = e.name;
}
report({
  queueUrl: QueueUrl,
  sameUrl: again.QueueUrl === QueueUrl,
  sent: sent.MessageId,
  batch: batch.Successful.map(s => ({ id: s.Id, messageId: s.MessageId })),
  received: received.Messages.map(m => ({ messageId: m.MessageId, body: m.Body, traceparent: m.MessageAttributes?.traceparent?.StringValue ?? null })),
  redelivered: redelivered.Messages.map(m => ({ messageId: m.MessageId, count: m.Attributes.ApproximateReceiveCount })),
  missing,
});
