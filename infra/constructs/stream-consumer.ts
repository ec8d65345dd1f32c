import type { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';
import { alarmingDeadLetters } from './dead-letters.ts';
import {
  type EventArchiveGrant,
  HandlerFunction,
  type QueueGrant,
  type TableGrant,
  type WorkflowGrant,
} from './handler-function.ts';

/** The image of a stream record an entity filter looks at: an insert has only a new one, a delete an old one. */
export type StreamImage = 'NewImage' | 'OldImage';

export interface StreamConsumerProps {
  /** Module under functions/ exporting a `DynamoDBStreamEvent` handler that answers with `batchItemFailures`. */
  readonly handler: string;
  readonly table: Table;
  /** Only records whose `entity` attribute has one of these values in one of `images` reach the function. */
  readonly entities: readonly string[];
  readonly images: readonly StreamImage[];
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  /** Omitted for consumers that neither start nor resume a workflow. */
  readonly workflowGrant?: WorkflowGrant;
  /** Omitted for consumers that read nothing but the records. */
  readonly tableGrant?: TableGrant;
  /** The Stripe settings secret, for a consumer that calls Stripe. */
  readonly stripeSecret?: ISecret;
  /** The event bus, for a consumer that puts events on it. */
  readonly eventBus?: IEventBus;
  /** The queue a consumer sends to. */
  readonly queueGrant?: QueueGrant;
  /** The event archive, for the consumer writing it. */
  readonly eventArchive?: EventArchiveGrant;
  /** Settings the handler reads from its environment, besides those of its grants. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly alerts: OperatorAlerts;
  /** What records in the dead-letter queue mean, and what the operator does about them. */
  readonly deadLettersAlarmDescription: string;
}

const entityIn = (image: StreamImage, entities: readonly string[]) =>
  FilterCriteria.filter({ dynamodb: { [image]: { entity: { S: FilterRule.or(...entities) } } } });

/**
 * A function fed by the table's stream from its oldest record on, with only some entities' changes. A
 * failing batch is retried from its first failed record (partial batch response) and split to isolate
 * it; a record still failing after the retries is described in a dead-letter queue, which alarms.
 *
 * The queue receives what Lambda sends for a stream source: the shard and sequence-number range of the
 * failed batch, not the records, which stay readable from the stream for its 24-hour retention.
 */
export class StreamConsumer extends Construct {
  readonly function: NodejsFunction;
  /** The function's role, for grants beyond those above. */
  readonly role: Role;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    // 'Default' leaves this consumer's id alone in the function's logical id (`<id>Function…`).
    const handlerFunction = new HandlerFunction(this, 'Default', {
      ...(props.environment ? { environment: props.environment } : {}),
      handler: props.handler,
      ...(props.workflowGrant ? { workflowGrant: props.workflowGrant } : {}),
      ...(props.tableGrant ? { tableGrant: props.tableGrant } : {}),
      ...(props.stripeSecret ? { stripeSecret: props.stripeSecret } : {}),
      ...(props.eventBus ? { eventBus: props.eventBus } : {}),
      ...(props.queueGrant ? { queueGrant: props.queueGrant } : {}),
      ...(props.eventArchive ? { eventArchive: props.eventArchive } : {}),
      ...(props.environment ? { environment: props.environment } : {}),
    });
    const { function: consumer, role } = handlerFunction;
    this.function = consumer;
    this.role = role;

    this.deadLetters = alarmingDeadLetters(this, {
      deadLettersOf: props.handler,
      alerts: props.alerts,
      alarmDescription: props.deadLettersAlarmDescription,
    });

    consumer.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.deadLetters),
        filters: props.images.map((image) => entityIn(image, props.entities)),
      }),
    );
    handlerFunction.acknowledgeWildcardResource(
      'dynamodb:ListStreams, granted by the stream event source, supports no resource-level permission; ' +
        "reading records is limited to this table's stream.",
    );
  }
}
