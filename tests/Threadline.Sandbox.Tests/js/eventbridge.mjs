import { EventBridgeClient, CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { config, report } from "./sandbox.mjs";

const events = new EventBridgeClient(config);
const sqs = new SQSClient(config);
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders-audit" }));
const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn;
const bus = await events.send(new CreateEventBusCommand({ Name: "orders" }));
await events.send(new PutRuleCommand({
  Name: "order-placed",
  EventBusName: "orders",
  EventPattern: JSON.stringify({ source: ["shop.payments"], "detail-type": ["order-placed"], detail: { tier: ["vip", "gold"] } }),
}));
const targets = await events.send(new PutTargetsCommand({
  Rule: "order-placed",
  EventBusName: "orders",
  Targets: [{ Id: "loyalty", Arn: process.env.FUNCTION_ARN }, { Id: "audit", Arn: queueArn }],
}));
const put = await events.send(new PutEventsCommand({
  Entries: [
    { EventBusName: "orders", Source: "shop.payments", DetailType: "order-placed", Detail: JSON.stringify({ orderId: "o-1", tier: "vip" }), Time: new Date("2026-01-02T03:04:05Z") },
    { EventBusName: "orders", Source: "shop.payments", DetailType: "order-placed", Detail: JSON.stringify({ orderId: "o-2", tier: "basic" }) },
    { EventBusName: "orders", Source: "shop.other", DetailType: "order-placed", Detail: JSON.stringify({ orderId: "o-3", tier: "vip" }) },
  ],
}));
const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
report({
  busArn: bus.EventBusArn,
  failedTargets: targets.FailedEntryCount,
  eventIds: put.Entries.map(e => e.EventId),
  failedEvents: put.FailedEntryCount,
  queueBodies: (received.Messages ?? []).map(m => m.Body),
});
