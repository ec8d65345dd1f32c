import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableChangeFanOut } from '#functions/routes.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { tableChangeConsumerFailuresMetric } from '#shared/observability/metric-names.ts';
import type { OperatorAlerts } from './alerts.ts';
import { HandlerFunction } from './handler-function.ts';
import { readTableStream } from './stream-consumer.ts';
import { entityPattern, type StreamImage } from './stream-filters.ts';
import type { TableChangeConsumer } from './table-change-consumer.ts';

export interface TableChangeFanOutProps {
  readonly table: Table;
  /** Every consumer of the table's changes but the archiver, which reads the stream itself. */
  readonly consumers: readonly TableChangeConsumer[];
  readonly alerts: OperatorAlerts;
}

/** The records of one stream batch: each consumer gets its own, in batches of its own size. */
const streamBatchSize = 100;
/** Lambda's longest timeout, which the fan-out's must stay within. */
const longestTimeout = Duration.minutes(15);
/** Time for the fan-out's own work around the consumers' invocations. */
const ownWork = Duration.seconds(10);

/**
 * The one reader of the table's stream for its consumers (DynamoDB advises at most two readers per
 * shard; the event archiver is the other): it takes the changes any consumer selects, invokes each
 * consumer synchronously with the records it selects, and reports the earliest record a consumer failed
 * at, from which Lambda delivers the batch again (to every consumer: each handles a record twice
 * safely). A record still failing after the retries is described in the dead-letter queue, which
 * alarms; the fan-out's log and its `TableChangeConsumerFailures` metric name the consumer.
 */
export class TableChangeFanOut extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { table, consumers, alerts }: TableChangeFanOutProps) {
    super(scope, id);
    if (consumers.length === 0) throw new Error('The table-change fan-out needs at least one consumer');
    const timeout = consumers
      .map((consumer) => consumer.longestWait(streamBatchSize))
      .reduce((longest, wait) => (wait.toSeconds() > longest.toSeconds() ? wait : longest))
      .plus(ownWork);
    if (timeout.toSeconds() > longestTimeout.toSeconds()) {
      throw new Error(
        `Handing a batch of ${streamBatchSize} changes to its consumers may take ${timeout.toHumanString()}, ` +
          "beyond Lambda's 15 minutes: give the slowest consumer a larger batch size",
      );
    }
    // 'Default' leaves this construct's id alone in the function's logical id (`<id>Function…`).
    const fanOut = new HandlerFunction(this, 'Default', {
      handler: tableChangeFanOut.handler,
      timeout,
      environment: {
        [resourceVariables.tableChangeConsumers]: Stack.of(this).toJsonString(
          consumers.map((consumer) => consumer.route),
        ),
      },
    });
    fanOut.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: consumers.map((consumer) => consumer.function.functionArn),
      }),
    );
    this.function = fanOut.function;
    this.deadLetters = readTableStream(this, fanOut, {
      table,
      filters: selectedByAny(consumers),
      batchSize: streamBatchSize,
      // Orders wait for their workflow's next step: hand each change over at once.
      maxBatchingWindow: Duration.seconds(0),
      alerts,
      deadLettersAlarmDescription:
        'Table changes a consumer still failed at after every retry, so that consumer skipped them (the ' +
        `others handled them). The fan-out's log and its ${tableChangeConsumerFailuresMetric} metric name the ` +
        'consumer; each message names a stream shard and sequence-number range. Once the cause is fixed, ' +
        'follow docs/deploy.md ("When an alarm fires") for that consumer.',
    });
  }
}

/** The changes any consumer selects, one filter per image: the stream reader's filters. */
function selectedByAny(consumers: readonly TableChangeConsumer[]): Record<string, unknown>[] {
  const images: StreamImage[] = ['NewImage', 'OldImage'];
  return images.flatMap((image) => {
    const entities = new Set(
      consumers
        .filter((consumer) => consumer.selection.images.includes(image))
        .flatMap((consumer) => consumer.selection.entities),
    );
    return entities.size === 0 ? [] : [entityPattern(image, [...entities])];
  });
}
