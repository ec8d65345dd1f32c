import { Duration } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { TableChangeConsumer as TableChangeRoute } from '#shared/app/streams/table-change-consumers.ts';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.ts';
import { selectionPatterns, type TableChangeSelection } from './stream-filters.ts';

export interface TableChangeConsumerProps extends HandlerFunctionProps, TableChangeSelection {
  /** The most records one invocation is handed, so that a batch stays within the function's timeout. */
  readonly batchSize: number;
}

/**
 * A function fed the table's changes it selects by the stack's one `TableChangeFanOut`, which reads
 * the stream for every such consumer and invokes each with its records: the function's handler takes
 * a `DynamoDBStreamEvent` and answers with `batchItemFailures`, as if it read the stream itself.
 */
export class TableChangeConsumer extends Construct {
  readonly function: NodejsFunction;
  /** The function's role, for grants beyond those above. */
  readonly role: Role;
  private readonly props: TableChangeConsumerProps;

  constructor(scope: Construct, id: string, props: TableChangeConsumerProps) {
    super(scope, id);
    // 'Default' leaves this consumer's id alone in the function's logical id (`<id>Function…`).
    const { function: fn, role } = new HandlerFunction(this, 'Default', props);
    this.function = fn;
    this.role = role;
    this.props = props;
  }

  get handler(): string {
    return this.props.handler;
  }

  get selection(): TableChangeSelection {
    return this.props;
  }

  /** How long one batch of `records` changes may keep the fan-out waiting: its batches, one after the other. */
  longestWait(records: number): Duration {
    const timeout = this.function.timeout;
    if (!timeout) throw new Error(`${this.props.handler} has no timeout`);
    return Duration.seconds(timeout.toSeconds() * Math.ceil(records / this.props.batchSize));
  }

  get route(): TableChangeRoute {
    return {
      name: this.props.handler,
      functionName: this.function.functionName,
      batchSize: this.props.batchSize,
      filters: selectionPatterns(this.props),
    };
  }
}
