import { LambdaClient, InvokeCommand, GetFunctionCommand } from "@aws-sdk/client-lambda";
import { config, report } from "./sandbox.mjs";

const lambda = new LambdaClient(config);
const payload = (o) => new TextEncoder().encode(JSON.stringify(o));
const sync = await lambda.send(new InvokeCommand({ FunctionName: "fraud-check", Payload: payload({ amount: 5 }) }));
const failed = await lambda.send(new InvokeCommand({ FunctionName: "fraud-check", Payload: payload({ amount: -1 }) }));
const queued = await lambda.send(new InvokeCommand({ FunctionName: "fraud-check", InvocationType: "Event", Payload: payload({ amount: 7 }) }));
const fn = await lambda.send(new GetFunctionCommand({ FunctionName: "fraud-check" }));
let missing = null;
try {
  await lambda.send(new InvokeCommand({ FunctionName: "no-such-function", Payload: payload({}) }));
} catch (e) {
  missing = e.name;
}
const text = (bytes) => new TextDecoder().decode(bytes);
report({
  sync: { requestId: sync.$metadata.requestId, status: sync.StatusCode, payload: text(sync.Payload), version: sync.ExecutedVersion ?? null },
  failed: { requestId: failed.$metadata.requestId, functionError: failed.FunctionError ?? null, payload: text(failed.Payload) },
  queued: { requestId: queued.$metadata.requestId, status: queued.StatusCode },
  memory: fn.Configuration.MemorySize,
  missing,
});
