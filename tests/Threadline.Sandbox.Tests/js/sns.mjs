import { SNSClient, CreateTopicCommand, SubscribeCommand, SetSubscriptionAttributesCommand, PublishCommand,
  PublishBatchCommand, ListSubscriptionsByTopicCommand } from "@aws-sdk/client-sns";
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { config, report } from "./sandbox.mjs";

const sns = new SNSClient(config);
const sqs = new SQSClient(config);
const queue = async (name) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl, arn: Attributes.QueueArn };
};
const envelopeQueue = await queue("email-queue");
const rawQueue = await queue("raw-queue");
const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "lunch" }));
await sns.send(new SubscribeCommand({ TopicArn, Protocol: "lambda", Endpoint: process.env.FUNCTION_ARN }));
await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: envelopeQueue.arn }));
const raw = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: rawQueue.arn, ReturnSubscriptionArn: true }));
await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: raw.SubscriptionArn, AttributeName: "RawMessageDelivery", AttributeValue: "true" }));
const published = await sns.send(new PublishCommand({
  TopicArn,
  Subject: "menu",
  Message: "{\"dish\":\"soup\"}",
  MessageAttributes: { userId: { DataType: "String", StringValue: "u-1" } },
}));
const batch = await sns.send(new PublishBatchCommand({
  TopicArn,
  PublishBatchRequestEntries: [{ Id: "a", Message: "batch-a" }, { Id: "b", Message: "batch-b" }],
}));
const subscriptions = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
const receive = async (url) => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ["All"], WaitTimeSeconds: 5 }))).Messages ?? [];
let missing = null;
try {
  await sns.send(new PublishCommand({ TopicArn: TopicArn + "-missing", Message: "x" }));
} catch (e) {
  missing = e.name;
}
report({
  topicArn: TopicArn,
  messageId: published.MessageId,
  batch: batch.Successful.map(s => ({ id: s.Id, messageId: s.MessageId })),
  subscriptions: subscriptions.Subscriptions.map(s => s.Protocol),
  envelopeBodies: (await receive(envelopeQueue.url)).map(m => m.Body),
  raw: (await receive(rawQueue.url)).map(m => ({ body: m.Body, userId: m.MessageAttributes?.userId?.StringValue ?? null })),
  missing,
});
