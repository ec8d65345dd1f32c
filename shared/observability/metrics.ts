import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * The stack's business and technical counters, as CloudWatch embedded metric format lines in the
 * function's log: the namespace is the stack's (`POWERTOOLS_METRICS_NAMESPACE`, set by CDK), and the only
 * dimension is the service, so each counter is one series whatever the order, user or seller.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Marketplace',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'marketplace',
});

/** Every counter, each counted once where its moment happens. The dashboard and alarms read these names. */
export const counters = {
  /** A checkout placed: its orders written and stock reserved (a replay or a resumed retry is not one). */
  checkoutsPlaced: 'CheckoutsPlaced',
  /** A checkout's payment captured: recorded as captured the first time, not on a retry that finds it so. */
  paymentsCaptured: 'PaymentsCaptured',
  /** A refund made at Stripe and posted to the ledger, counted where it is posted. */
  refundsPosted: 'RefundsPosted',
  /** A chargeback opened on a checkout, counted where its dispute is first recorded. */
  chargebacksOpened: 'ChargebacksOpened',
  /** An outgoing webhook attempt that did not deliver (a refusal, a timeout, an unreachable receiver). */
  webhookDeliveryFailures: 'WebhookDeliveryFailures',
  /** A payout line paid to its seller. */
  payoutLinesPaid: 'PayoutLinesPaid',
  /** A payout line that failed for good. */
  payoutLinesFailed: 'PayoutLinesFailed',
} as const;

export type Counter = (typeof counters)[keyof typeof counters];

/** Counts `value` occurrences of `counter`, flushed with the invocation's other metrics. */
export function count(counter: Counter, value = 1): void {
  metrics.addMetric(counter, MetricUnit.Count, value);
}

/** The metric of errors a request was answered with, one series per problem code (`code` dimension). */
export const domainErrorsMetric = 'DomainErrors';

/**
 * Counts one request answered with the problem `code` (`validation_failed`, `version_mismatch`, …): a
 * few dozen codes, each a series of its own. Emitted at once, on a line of its own, since its dimension
 * is not that of the other counters.
 */
export function countDomainError(code: string): void {
  const single = metrics.singleMetric();
  single.addDimension('code', code);
  single.addMetric(domainErrorsMetric, MetricUnit.Count, 1);
}

/** How long after Stripe created an event it was applied here: Stripe's delivery and the queue's wait. */
export const stripeEventLagMetric = 'StripeEventLag';

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
