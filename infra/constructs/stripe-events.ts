import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { stripeEventProcessing } from '#functions/routes.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import { stripeEventKey } from '#shared/store/entities/stripe-event.ts';
import type { OperatorAlerts } from './alerts.ts';
import { alarmingDeadLetters } from './dead-letters.ts';
import { HandlerFunction, type QueueTarget } from './handler-function.ts';

export interface StripeEventsProps {
  readonly table: Table;
  readonly stripeSecret: ISecret;
  readonly alerts: OperatorAlerts;
}

/** Time for a batch of events, each applied with a few Stripe and DynamoDB calls (retries included). */
const processorTimeout = Duration.seconds(30);

/** Receives before a message is dead-lettered: a failing event is tried this often, a visibility timeout apart. */
export const stripeEventMaxReceiveCount = 5;

/**
 * The queue of verified Stripe events and its consumer. The webhook route sends each stored event's
 * id here; the processor applies the event and reports failures per message, which return after the
 * visibility timeout and, after the last receive, go to a dead-letter queue that alarms.
 */
export class StripeEvents extends Construct implements QueueTarget {
  readonly name = stripeEventProcessing.queue;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly processor: NodejsFunction;

  constructor(scope: Construct, id: string, { table, stripeSecret, alerts }: StripeEventsProps) {
    super(scope, id);
    const { handler } = stripeEventProcessing;
    const { table: tableActions, stripe, ...unwired }: FunctionResources = stripeEventProcessing.uses;
    if (Object.keys(unwired).length > 0) {
      throw new Error(
        `${handler} may use the table and Stripe only; wire ${Object.keys(unwired).join(', ')} in StripeEvents`,
      );
    }
    this.processor = new HandlerFunction(this, 'Processor', {
      handler,
      ...(tableActions ? { tableGrant: { table, actions: tableActions } } : {}),
      ...(stripe ? { stripeSecret } : {}),
      timeout: processorTimeout,
    }).function;

    this.deadLetters = alarmingDeadLetters(this, {
      deadLettersOf: `the ${this.name} queue`,
      alerts,
      alarmDescription:
        `Verified Stripe events failed processing ${stripeEventMaxReceiveCount} times and were dead-lettered, ` +
        'so their effect (payment, refund, dispute, payout, onboarding) is missing. Each message is ' +
        `{"eventId"}; the event is stored in the table under ${stripeEventKey('<eventId>').PK}. Find the ` +
        "cause in the processor's logs, fix it, then redrive the dead-letter queue to its source queue: " +
        'processing is idempotent.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout, as AWS advises for Lambda: a message is not received again
      // while the batch holding it may still run, including the SDK's retries.
      visibilityTimeout: Duration.seconds(processorTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: stripeEventMaxReceiveCount },
    });
    this.processor.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Appliers read from Stripe: a burst of events must not spend its API rate limit (100 requests/s).
        maxConcurrency: 5,
      }),
    );
  }
}
