import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { config, report } from "./sandbox.mjs";

const events = new EventBridgeClient(config);
const rule = await events.send(new PutRuleCommand({ Name: "lunchbot-schedule", ScheduleExpression: "rate(1 minute)" }));
await events.send(new PutTargetsCommand({ Rule: "lunchbot-schedule", Targets: [{ Id: "lunchbot", Arn: process.env.FUNCTION_ARN }] }));
const described = await events.send(new DescribeRuleCommand({ Name: "lunchbot-schedule" }));
report({ ruleArn: rule.RuleArn, schedule: described.ScheduleExpression, state: described.State });
