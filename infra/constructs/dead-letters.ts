import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';

export interface AlarmingDeadLettersProps {
  /** What fails into this queue: a function or a queue, for the cdk-nag acknowledgment. */
  readonly deadLettersOf: string;
  readonly alerts: OperatorAlerts;
  /** What messages in the queue mean, and what the operator does about them. */
  readonly alarmDescription: string;
}

/**
 * A dead-letter queue (`DeadLetters` in `scope`), encrypted and kept 14 days, whose first message
 * alarms the operators (`DeadLettersAlarm`).
 */
export function alarmingDeadLetters(
  scope: Construct,
  { deadLettersOf, alerts, alarmDescription }: AlarmingDeadLettersProps,
): Queue {
  const deadLetters = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter destination of ${deadLettersOf}; its messages are inspected, not retried.`,
  });
  alerts.deadLetterQueues.push({ deadLettersOf, queue: deadLetters });
  alerts.notify(
    new Alarm(scope, 'DeadLettersAlarm', {
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription,
    }),
  );
  return deadLetters;
}
