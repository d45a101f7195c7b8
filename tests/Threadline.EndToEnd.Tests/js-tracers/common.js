// What the scripts share: required variables, the sandbox's SQS configuration, the JSON report for the xunit
// test (REPORT_FILE), and a wait for every UDP datagram the X-Ray SDK handed to the socket to be sent (the SDK's
// socket is unref'd, so a short script could otherwise exit with a datagram still queued).
'use strict';

const dgram = require('dgram');
const fs = require('fs');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

function sqsConfig() {
  return {
    endpoint: required('SANDBOX_ENDPOINT'),
    region: process.env.SANDBOX_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
}

// Counts datagrams sent and failed, by wrapping dgram's send before the X-Ray SDK is loaded.
const udp = { pending: 0, sent: 0, failures: [] };
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const callbackAt = args.findIndex(a => typeof a === 'function');
  const callback = callbackAt >= 0 ? args[callbackAt] : undefined;
  const done = error => {
    udp.pending--;
    if (error) {
      udp.failures.push(String(error));
    } else {
      udp.sent++;
    }
    callback?.(error);
  };
  if (callbackAt >= 0) {
    args[callbackAt] = done;
  } else {
    args.push(done);
  }
  udp.pending++;
  return send.apply(this, args);
};

async function udpFlushed() {
  while (udp.pending > 0) {
    await new Promise(resolve => setImmediate(resolve));
  }
  if (udp.failures.length > 0) {
    throw new Error(`UDP send failed: ${udp.failures.join('; ')}`);
  }
  return udp.sent;
}

function report(result) {
  fs.writeFileSync(required('REPORT_FILE'), JSON.stringify(result));
}

function run(main) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}

module.exports = { required, sqsConfig, udpFlushed, report, run };
