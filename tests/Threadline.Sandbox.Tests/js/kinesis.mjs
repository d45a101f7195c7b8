import { KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { LambdaClient, CreateEventSourceMappingCommand } from "@aws-sdk/client-lambda";
import { config, report } from "./sandbox.mjs";

const kinesis = new KinesisClient(config);
const lambda = new LambdaClient(config);
await kinesis.send(new CreateStreamCommand({ StreamName: "clickstream", ShardCount: 2 }));
const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: "clickstream" }));
const mapping = await lambda.send(new CreateEventSourceMappingCommand({
  EventSourceArn: summary.StreamDescriptionSummary.StreamARN,
  FunctionName: "aggregate",
  StartingPosition: "TRIM_HORIZON",
  BatchSize: 100,
}));
const encode = (s) => new TextEncoder().encode(s);
const one = await kinesis.send(new PutRecordCommand({ StreamName: "clickstream", PartitionKey: "user-1", Data: encode("click-1") }));
const many = await kinesis.send(new PutRecordsCommand({
  StreamName: "clickstream",
  Records: ["user-2", "user-3", "user-4", "user-5"].map((k, i) => ({ PartitionKey: k, Data: encode(`click-${i + 2}`) })),
}));
report({
  streamArn: summary.StreamDescriptionSummary.StreamARN,
  openShards: summary.StreamDescriptionSummary.OpenShardCount,
  mappingState: mapping.State,
  records: [one, ...many.Records].map(r => ({ shardId: r.ShardId, sequenceNumber: r.SequenceNumber })),
  failed: many.FailedRecordCount,
});
