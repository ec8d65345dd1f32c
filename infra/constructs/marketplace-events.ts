import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventArchiver, eventPublisher, eventRecorder } from '#functions/routes.ts';
import type { EventLogSettings } from '#shared/app/events/event-log-settings.ts';
import { eventBusSource } from '#shared/events/event-bus.ts';
import type { OperatorAlerts } from './alerts.ts';
import { EventArchive } from './event-archive.ts';
import { eventLogEnvironment } from './event-log-settings.ts';
import { StreamConsumer } from './stream-consumer.ts';
import { TableChangeConsumer } from './table-change-consumer.ts';

export interface MarketplaceEventsProps {
  readonly table: Table;
  readonly alerts: OperatorAlerts;
  /** How long the table keeps the events; the archive keeps them all. */
  readonly eventLog: EventLogSettings;
  /** Keeps the archive when the stack is deleted, as the table is kept. */
  readonly deletionProtection: boolean;
}

/** The event types the example rule sends to the operators' queue: what someone must look at. */
const attentionEventTypes = ['dispute.opened', 'payout.failed'] as const;

/**
 * The event log and what it feeds: the recorder appending the table's changes as events, the archiver
 * keeping them in S3 beyond the table's retention, and the marketplace's own EventBridge bus, with an
 * archive to replay from and an example rule.
 */
export class MarketplaceEvents extends Construct {
  readonly bus: EventBus;
  /** Every event of the log, read by the feeds' routes once the table let them expire. */
  readonly archive: Bucket;
  /** Where the example rule sends what needs the operators' attention. */
  readonly attentionQueue: Queue;

  constructor(scope: Construct, id: string, props: MarketplaceEventsProps) {
    super(scope, id);
    const { table, alerts } = props;
    new TableChangeConsumer(this, 'Recorder', {
      handler: eventRecorder.handler,
      entities: eventRecorder.entities,
      // A suspension lifted is a deleted item: only its old image says whose it was.
      images: ['NewImage', 'OldImage'],
      // Every append moves one counter on: larger batches make fewer, larger transactions.
      batchSize: 100,
      tableGrant: { table, actions: eventRecorder.uses.table },
      environment: eventLogEnvironment(props.eventLog),
    });

    this.archive = new EventArchive(this, 'Archive', { deletionProtection: props.deletionProtection }).bucket;
    new StreamConsumer(this, 'Archiver', {
      handler: eventArchiver.handler,
      table,
      entities: eventArchiver.entities,
      images: ['NewImage'],
      // Each batch is an object per feed it touches: fewer, larger objects cost fewer requests to
      // write and to read, and a minute's wait matters nothing to events read only once they expired.
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(60),
      eventArchive: { bucket: this.archive, access: eventArchiver.uses.eventArchive },
      alerts,
      deadLettersAlarmDescription:
        'Events of the log that did not reach the event archive after every retry. Nothing is lost ' +
        'yet: the table keeps them for its retention (eventRetentionDays). Each message names a stream ' +
        'shard and sequence-number range; once the cause is fixed, invoke the archiver function with ' +
        'those records again (kept 24 hours), or archive their positions again from the table with ' +
        'npm run archive-events (docs/deploy.md) before they expire: events that expire unarchived ' +
        'are lost to the feeds.',
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: `${Stack.of(this).stackName}-events` });
    this.bus.archive('Archive', {
      description: "Every marketplace event, a year back: replay them to a rule's targets.",
      eventPattern: { source: [eventBusSource] },
      retention: Duration.days(365),
    });
    new TableChangeConsumer(this, 'Publisher', {
      handler: eventPublisher.handler,
      entities: eventPublisher.entities,
      images: ['NewImage'],
      batchSize: 100,
      eventBus: this.bus,
    });

    // An example of subscribing: what needs someone's attention, kept two weeks in a queue that the
    // operators' tools read. Write rules of your own the same way (docs/api.md, Events).
    const attention = new Queue(this, 'AttentionQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(attention).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'An inbox the operators read and empty, not a work queue: no consumer retries a message, so ' +
        'none could fail into a dead-letter queue.',
    });
    new Rule(this, 'AttentionRule', {
      eventBus: this.bus,
      description: 'Disputes opened and payouts failed, to the operators’ attention queue.',
      eventPattern: { source: [eventBusSource], detailType: [...attentionEventTypes] },
      targets: [new SqsQueue(attention)],
    });
    this.attentionQueue = attention;
  }
}
