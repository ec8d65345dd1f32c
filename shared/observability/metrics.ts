import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import {
  type Counter,
  domainErrorsMetric,
  stripeEventLagMetric,
  tableChangeConsumerFailuresMetric,
} from './metric-names.ts';

export { type Counter, counters } from './metric-names.ts';

/**
 * The stack's business and technical counters, as CloudWatch embedded metric format lines in the
 * function's log: the namespace is the stack's (`POWERTOOLS_METRICS_NAMESPACE`, set by CDK), and the only
 * dimension is the service, so each counter is one series whatever the order, user or seller.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Marketplace',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'marketplace',
});

/** Counts `value` occurrences of `counter`, flushed with the invocation's other metrics. */
export function count(counter: Counter, value = 1): void {
  metrics.addMetric(counter, MetricUnit.Count, value);
}

/**
 * Counts one occurrence of `metric` in the series of `dimension` = `value`. Emitted at once, on a line
 * of its own, since its dimension is not that of the other counters.
 */
function countIn(metric: string, dimension: string, value: string): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(metric, MetricUnit.Count, 1);
}

/**
 * Counts one request answered with the problem `code` (`validation_failed`, `version_mismatch`, …): a
 * few dozen codes, each a series of its own.
 */
export const countDomainError = (code: string): void => countIn(domainErrorsMetric, 'code', code);

/** Counts one failure of the table-change consumer `consumer` (its handler module): a handful of series. */
export const countTableChangeConsumerFailure = (consumer: string): void =>
  countIn(tableChangeConsumerFailuresMetric, 'consumer', consumer);

export function recordStripeEventLag(createdSeconds: number, appliedAt: Date): void {
  const lagSeconds = Math.max(0, appliedAt.getTime() / 1000 - createdSeconds);
  metrics.addMetric(stripeEventLagMetric, MetricUnit.Seconds, Math.round(lagSeconds * 1000) / 1000);
}

/** Writes what the invocation counted, once, as it ends; an invocation that counted nothing writes nothing. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** `flushMetrics` as middy middleware, after the handler and after its error alike. */
export const flushMetricsMiddleware = (): middy.MiddlewareObj => ({
  after: flushMetrics,
  onError: flushMetrics,
});
