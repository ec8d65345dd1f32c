import type { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';
import { alarmingDeadLetters } from './dead-letters.ts';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.ts';
import { selectionPatterns, type TableChangeSelection } from './stream-filters.ts';

export interface StreamReaderProps {
  readonly table: Table;
  /** Lambda event filter patterns: only the records one of them matches reach the function. */
  readonly filters: readonly Record<string, unknown>[];
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly alerts: OperatorAlerts;
  /** What records in the dead-letter queue mean, and what the operator does about them. */
  readonly deadLettersAlarmDescription: string;
}

/** A reader of the stream: its function (a `DynamoDBStreamEvent` handler), the changes it selects, how it reads. */
export type StreamConsumerProps = HandlerFunctionProps &
  TableChangeSelection &
  Omit<StreamReaderProps, 'filters'>;

/**
 * Makes `fn` a reader of the table's stream from its oldest record on, with only the changes `filters`
 * match. A failing batch is retried from its first failed record (partial batch response) and split to
 * isolate it; a record still failing after the retries is described in a dead-letter queue, which alarms.
 *
 * The queue receives what Lambda sends for a stream source: the shard and sequence-number range of the
 * failed batch, not the records, which stay readable from the stream for its 24-hour retention.
 * DynamoDB advises at most two readers per stream shard: the table has two, the fan-out of its
 * changes to their consumers (`TableChangeFanOut`) and the event archiver.
 */
export function readTableStream(scope: Construct, fn: HandlerFunction, props: StreamReaderProps): Queue {
  const deadLetters = alarmingDeadLetters(scope, {
    deadLettersOf: fn.handler,
    alerts: props.alerts,
    alarmDescription: props.deadLettersAlarmDescription,
  });
  fn.function.addEventSource(
    new DynamoEventSource(props.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      onFailure: new SqsDlq(deadLetters),
      filters: props.filters.map((pattern) => FilterCriteria.filter(pattern)),
    }),
  );
  fn.acknowledgeWildcardResource(
    'dynamodb:ListStreams, granted by the stream event source, supports no resource-level permission; ' +
      "reading records is limited to this table's stream.",
  );
  return deadLetters;
}

/** A function reading the table's stream itself: only the event archiver, which batches a minute. */
export class StreamConsumer extends Construct {
  readonly function: NodejsFunction;
  /** The function's role, for grants beyond those above. */
  readonly role: Role;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    // 'Default' leaves this consumer's id alone in the function's logical id (`<id>Function…`).
    const handlerFunction = new HandlerFunction(this, 'Default', props);
    this.function = handlerFunction.function;
    this.role = handlerFunction.role;
    this.deadLetters = readTableStream(this, handlerFunction, {
      ...props,
      filters: selectionPatterns(props),
    });
  }
}
