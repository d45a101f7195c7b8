// The OpenTelemetry JS SDK with its Zipkin exporter (@opentelemetry/exporter-zipkin), exporting one client span
// with an event to ZIPKIN_URL (Threadline's Zipkin listener); the export result is reported, not assumed.
'use strict';

const { required, report, run } = require('./common');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { SpanKind } = require('@opentelemetry/api');

run(async () => {
  const results = [];
  const exporter = new ZipkinExporter({ url: required('ZIPKIN_URL') });
  const exportToServer = exporter.export.bind(exporter);
  exporter.export = (spans, done) => exportToServer(spans, result => {
    results.push(result.code === 0 ? 'success' : String(result.error ?? 'failed'));
    done(result);
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': required('SERVICE_NAME') }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('threadline-zipkin-test');
  const span = tracer.startSpan('GET /inventory', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } });
  span.addEvent('cache-miss');
  const { traceId, spanId } = span.spanContext();
  span.end();
  await provider.shutdown();
  if (results.length === 0 || results.some(r => r !== 'success')) {
    throw new Error(`Zipkin export: ${results.join('; ') || 'nothing exported'}`);
  }
  report({ traceId, spanId });
});
