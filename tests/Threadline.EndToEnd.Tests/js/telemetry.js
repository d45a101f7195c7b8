// The OpenTelemetry JS SDK set up as a user would: a Node tracer provider registered globally with its
// propagators, the OTLP/HTTP protobuf exporter, and the given instrumentations. It must be started before the
// AWS SDK or the Lambda handler is loaded.
//
// PROPAGATION chooses the global propagators: `w3c` is the SDK's default (W3C trace context and baggage);
// `xray` adds the AWS X-Ray propagator, as the AWS distribution for OpenTelemetry configures Lambda functions.
'use strict';

const fs = require('fs');
const { diag, DiagConsoleLogger, DiagLogLevel } = require('@opentelemetry/api');
const { CompositePropagator, ExportResultCode, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { AWSXRayPropagator } = require('@opentelemetry/propagator-aws-xray');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

// Starts tracing for one service. The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (the Threadline server's
// OTLP/HTTP listener) itself; it is checked here only so that a missing variable is a clear error.
// The PROPAGATION mode, `w3c` or `xray`.
function propagation() {
  const mode = process.env.PROPAGATION ?? 'w3c';
  if (mode !== 'w3c' && mode !== 'xray') {
    throw new Error(`PROPAGATION must be w3c or xray, not ${mode}`);
  }
  return mode;
}

function start(serviceName, instrumentations) {
  required('OTEL_EXPORTER_OTLP_ENDPOINT');
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

  // Every export result is kept: a script whose spans were not acknowledged must fail, not pass silently.
  const failures = [];
  let exportedSpans = 0;
  const exporter = new OTLPTraceExporter();
  const exportToServer = exporter.export.bind(exporter);
  exporter.export = (spans, done) => exportToServer(spans, result => {
    if (result.code === ExportResultCode.SUCCESS) {
      exportedSpans += spans.length;
    } else {
      failures.push(String(result.error ?? 'export failed'));
    }
    done(result);
  });

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register(propagation() === 'xray'
    ? { propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new AWSXRayPropagator()] }) }
    : {});
  registerInstrumentations({ tracerProvider: provider, instrumentations });

  return {
    provider,
    // Flushes and shuts down; throws when any export failed or nothing was exported.
    async finish() {
      await provider.shutdown();
      if (failures.length > 0) {
        throw new Error(`OTLP export to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT} failed: ${failures.join('; ')}`);
      }
      if (exportedSpans === 0) {
        throw new Error('no span was exported');
      }
      return exportedSpans;
    },
  };
}

// The SQS client configuration for the sandbox endpoint (any credentials are accepted there).
function sqsConfig() {
  return {
    endpoint: required('SANDBOX_ENDPOINT'),
    region: process.env.SANDBOX_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
}

// Writes the script's observations as one JSON document to REPORT_FILE for the xunit test (stdout is the
// function's log, as in Lambda).
function report(result) {
  fs.writeFileSync(required('REPORT_FILE'), JSON.stringify(result));
}

// Runs main and turns any failure into a non-zero exit with the error on stderr.
function run(main) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}

module.exports = { start, propagation, sqsConfig, required, report, run };
