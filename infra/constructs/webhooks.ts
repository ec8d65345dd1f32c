import { Annotations, Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookDelivery, webhookDispatcher } from '#functions/routes.ts';
import type { WebhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import type { OperatorAlerts } from './alerts.ts';
import { alarmingDeadLetters } from './dead-letters.ts';
import { HandlerFunction, type QueueTarget } from './handler-function.ts';
import { TableChangeConsumer } from './table-change-consumer.ts';
import { webhookEnvironment } from './webhook-settings.ts';

export interface WebhooksProps {
  readonly table: Table;
  readonly alerts: OperatorAlerts;
  /** Read by the worker; the route registering endpoints gets them from the API. */
  readonly settings: WebhookSettings;
}

/** A batch of ten attempts at once, each given 15 s to be answered, and its records written. */
const workerTimeout = Duration.seconds(30);

/**
 * Outgoing webhooks: the dispatcher queues a delivery for every endpoint each appended event goes
 * to, and the worker makes each attempt, queueing the next one itself (in hops of at most 15
 * minutes) until the schedule is spent. A message whose attempt could not be recorded returns after
 * the visibility timeout and, five receives on, goes to a dead-letter queue that alarms.
 */
export class Webhooks extends Construct implements QueueTarget {
  readonly name = webhookDelivery.queue;
  readonly queue: Queue;

  constructor(scope: Construct, id: string, { table, alerts, settings }: WebhooksProps) {
    super(scope, id);
    if (settings.allowedHosts.length > 0) {
      Annotations.of(this).addWarningV2(
        'marketplace:webhookAllowedHosts',
        `Webhooks may reach ${settings.allowedHosts.join(', ')} whatever addresses they resolve to, over ` +
          'plain http too: only for a development stack whose receivers are private.',
      );
    }
    const deadLetters = alarmingDeadLetters(this, {
      deadLettersOf: `the ${this.name} queue`,
      alerts,
      alarmDescription:
        'Webhook attempts failed to run (not: receivers that failed, which are retried on schedule and ' +
        'recorded) five times and were dead-lettered. Each message is an attempt ({"kind":"attempt",' +
        '"owner","endpointId","deliveryId","attempt"}) or a page of a range redelivery ({"kind":' +
        '"redeliver-range",…}); find the cause in the worker\'s logs, fix it, then redrive the dead-letter ' +
        'queue to its source: an attempt made meanwhile is not made twice.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    const worker = new HandlerFunction(this, 'Worker', {
      handler: webhookDelivery.handler,
      tableGrant: { table, actions: webhookDelivery.uses.table },
      queueGrant: { target: this, actions: webhookDelivery.uses.queue.actions },
      environment: webhookEnvironment(settings),
      timeout: workerTimeout,
    }).function;
    worker.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }),
    );

    new TableChangeConsumer(this, 'Dispatcher', {
      handler: webhookDispatcher.handler,
      entities: webhookDispatcher.entities,
      images: ['NewImage'],
      batchSize: 100,
      tableGrant: { table, actions: webhookDispatcher.uses.table },
      queueGrant: { target: this, actions: webhookDispatcher.uses.queue.actions },
    });
  }
}
