import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { counters } from '#shared/observability/metric-names.ts';
import type { OperatorAlerts } from './alerts.ts';
import { BusinessMetrics } from './business-metrics.ts';

/** Stripe retries a webhook for days; an event still unapplied this long after it was made is stuck. */
const stripeEventLagLimitSeconds = 15 * 60;

/**
 * Alarms the operators on the business moments someone must act on, from the counters the functions
 * write: a seller left unpaid, a chargeback with an evidence deadline, Stripe's events not being
 * applied. Failures of the machinery itself (5xx, dead letters, failed executions) alarm elsewhere.
 */
export function alarmOnBusinessEvents(scope: Construct, alerts: OperatorAlerts): Alarm[] {
  const business = new BusinessMetrics(scope);
  const alarms = [
    new Alarm(scope, 'PayoutLinesFailedAlarm', {
      metric: business.counter(counters.payoutLinesFailed),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'A payout line failed for good: a seller was not paid, and the money stays available to them. ' +
        "Read the line's failure on its run (GET /payout-runs/{runId}?status=failed, or the CSV report), " +
        "fix the seller's Stripe account or the platform balance; the next run pays the seller.",
    }),
    new Alarm(scope, 'ChargebacksOpenedAlarm', {
      metric: business.counter(counters.chargebacksOpened),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        "A buyer's bank opened a chargeback: the checkout's orders are frozen. Submit evidence in " +
        "Stripe's dashboard before the dispute's deadline (usually 7 to 21 days), or accept it.",
    }),
    new Alarm(scope, 'StripeEventLagAlarm', {
      metric: business.stripeEventLag('Maximum'),
      threshold: stripeEventLagLimitSeconds,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'A Stripe event was applied more than 15 minutes after Stripe created it: the webhook endpoint ' +
        "failed deliveries Stripe then retried, or the events queue backed up. Check the webhook's " +
        "failed deliveries in Stripe's dashboard, the ApiServerErrorsAlarm and the Stripe events' " +
        'dead-letter queue; payments wait for these events.',
    }),
  ];
  for (const alarm of alarms) alerts.notify(alarm);
  return alarms;
}
