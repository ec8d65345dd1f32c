/** The names of the stack's own metrics: written by the functions, read by the dashboard and the alarms. */

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

/** The metric of errors a request was answered with, one series per problem code (`code` dimension). */
export const domainErrorsMetric = 'DomainErrors';

/**
 * A table-change consumer failing at a record of the fan-out's batch: its function failed, or reported
 * the record failed. One series per consumer (`consumer` dimension: its handler module).
 */
export const tableChangeConsumerFailuresMetric = 'TableChangeConsumerFailures';

/** How long after Stripe created an event it was applied here: Stripe's delivery and the queue's wait. */
export const stripeEventLagMetric = 'StripeEventLag';
