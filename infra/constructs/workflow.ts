import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { defaultReviewSettings, type ReviewSettings } from '#shared/app/reviews/review-settings.ts';
import type { WorkflowDefinition, WorkflowTask } from '#workflows/workflow.ts';
import type { OperatorAlerts } from './alerts.ts';
import { HandlerFunction, type WorkflowTarget } from './handler-function.ts';
import { readsReviewSettings, reviewEnvironment } from './review-settings.ts';

export interface WorkflowProps {
  readonly definition: WorkflowDefinition;
  readonly table: Table;
  readonly alerts: OperatorAlerts;
  /** Read by the task functions that declare `uses.stripe`. */
  readonly stripeSecret?: ISecret;
  /**
   * Written by the task functions that declare `uses.itemLists`, read by the ItemReader of the
   * definition's Distributed Map states.
   */
  readonly itemListBucket?: IBucket;
  /** Other state machines its task functions start, by name. */
  readonly otherWorkflows?: readonly WorkflowTarget[];
  /** Read by the task functions that declare `uses.reviewSettings`. */
  readonly reviewSettings?: ReviewSettings;
}

/** The parts of an ASL state this construct reads. */
interface AslState {
  readonly Type?: string;
  readonly TimeoutSeconds?: unknown;
  readonly ItemReader?: { readonly Resource?: string };
  readonly ResultWriter?: { readonly Resource?: string };
  readonly ItemProcessor?: AslStateGraph & {
    readonly ProcessorConfig?: { readonly Mode?: string; readonly ExecutionType?: string };
  };
  readonly Iterator?: AslStateGraph;
  readonly Branches?: readonly AslStateGraph[];
}

interface AslStateGraph {
  readonly States?: Readonly<Record<string, AslState>>;
}

/** Every state of the graph, those of Map and Parallel states' graphs included, by name. */
function* statesOf(graph: AslStateGraph | undefined): Generator<readonly [string, AslState]> {
  for (const [name, state] of Object.entries(graph?.States ?? {})) {
    yield [name, state];
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      yield* statesOf(nested);
    }
  }
}

/** What a Lambda function may run at most, and so what a task's function timeout is capped at. */
const maxFunctionTimeoutSeconds = 900;

/** What an S3 ItemReader calls to read one JSON item list, the only reader this construct grants. */
const s3GetObjectReader = 'arn:aws:states:::s3:getObject';

/**
 * One Standard state machine from a definition in workflows/: its ASL file with each `${StateName}`
 * replaced by the ARN of the function running that Task state's handler, logged, traced and alarmed.
 */
export class Workflow extends Construct implements WorkflowTarget {
  readonly name: string;
  /**
   * Built from the fixed state machine name rather than read from the resource, because a task
   * function that resumes this workflow needs the ARN while the state machine needs the function's.
   */
  readonly stateMachineArn: string;
  readonly stateMachine: StateMachine;
  private readonly stripeSecret: ISecret | undefined;
  private readonly itemListBucket: IBucket | undefined;
  private readonly otherWorkflows: readonly WorkflowTarget[];
  private readonly reviewSettings: ReviewSettings;
  /** The definition's states, nested ones included, by name. */
  private readonly states: ReadonlyMap<string, AslState>;

  constructor(
    scope: Construct,
    id: string,
    {
      definition,
      table,
      alerts,
      stripeSecret,
      itemListBucket,
      otherWorkflows,
      reviewSettings,
    }: WorkflowProps,
  ) {
    super(scope, id);
    this.otherWorkflows = otherWorkflows ?? [];
    this.reviewSettings = reviewSettings ?? defaultReviewSettings;
    this.stripeSecret = stripeSecret;
    this.itemListBucket = itemListBucket;
    this.name = definition.name;
    this.states = new Map(
      statesOf(JSON.parse(readFileSync(definition.definitionFile, 'utf8')) as AslStateGraph),
    );
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-${definition.name}`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const taskFunctions = Object.entries(definition.tasks).map(
      ([stateName, task]) => [stateName, this.taskFunction(stateName, task, table)] as const,
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definition.definitionFile),
      definitionSubstitutions: Object.fromEntries(
        taskFunctions.map(([stateName, taskFunction]) => [stateName, taskFunction.functionArn]),
      ),
      // Every state transition, for Logs Insights across executions. Without execution data: inputs
      // carry task tokens, which would let anyone reading the logs resume a waiting order.
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
      tracingEnabled: true,
    });
    // Unqualified ARNs, as the definition invokes them: no version or alias, so no `:*`.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: taskFunctions.map(([, taskFunction]) => taskFunction.functionArn),
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        `The ${definition.name} state machine's role holds "*" only for the CloudWatch Logs delivery ` +
        'actions that ship its execution log and the X-Ray actions that send its traces; neither ' +
        'supports resource-level permissions.',
    });
    this.allowDistributedMaps(stateMachineName);

    alerts.notify(
      new Alarm(this, 'ExecutionsEndedBadlyAlarm', {
        metric: new MathExpression({
          // A sum of series has no value where any one lacks a datapoint: fill the gaps first.
          expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
          usingMetrics: {
            failed: this.stateMachine.metricFailed(),
            timedOut: this.stateMachine.metricTimedOut(),
            aborted: this.stateMachine.metricAborted(),
          },
          label: 'Executions failed, timed out or aborted',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription:
          `Executions of ${stateMachineName} failed, timed out or were aborted, leaving their work ` +
          'unfinished. Read each failure in the execution history, then finish or compensate it by hand.',
      }),
    );
  }

  private taskFunction(stateName: string, task: WorkflowTask, table: Table): NodejsFunction {
    const { workflow, search, queue, stripe, itemLists } = task.uses;
    if (search || queue) {
      throw new Error(
        `Task ${stateName} of ${this.name} may use the table, Stripe, item lists and workflows only, not search or a queue`,
      );
    }
    const workflowTarget =
      workflow &&
      (workflow.name === this.name ? this : this.otherWorkflows.find(({ name }) => name === workflow.name));
    if (workflow && !workflowTarget) {
      throw new Error(
        `Task ${stateName} of ${this.name} uses workflow ${workflow.name}, which the workflow was not given`,
      );
    }
    if (stripe && !this.stripeSecret) {
      throw new Error(
        `Task ${stateName} of ${this.name} calls Stripe, but the workflow was given no Stripe secret`,
      );
    }
    if (itemLists && !this.itemListBucket) {
      throw new Error(
        `Task ${stateName} of ${this.name} writes item lists, but the workflow was given no item-list bucket`,
      );
    }
    const timeout = this.functionTimeout(stateName, task);
    return new HandlerFunction(this, stateName, {
      handler: task.handler,
      ...(task.uses.table ? { tableGrant: { table, actions: task.uses.table } } : {}),
      ...(workflow && workflowTarget
        ? { workflowGrant: { workflow: workflowTarget, actions: workflow.actions } }
        : {}),
      ...(stripe ? { stripeSecret: this.stripeSecret } : {}),
      ...(itemLists ? { itemListBucket: this.itemListBucket } : {}),
      ...(timeout ? { timeout } : {}),
      ...(readsReviewSettings(task.uses) ? { environment: reviewEnvironment(this.reviewSettings) } : {}),
    }).function;
  }

  /**
   * As long as the Task state waits for its function (`TimeoutSeconds`), so the function is never cut
   * short before the state gives up on it. A callback task's timeout is its wait for the token, not
   * its function's run: those keep the default.
   */
  private functionTimeout(stateName: string, task: WorkflowTask): Duration | undefined {
    const state = this.states.get(stateName);
    if (!state)
      throw new Error(`${this.name} has no state ${stateName}, which its definition maps to a handler`);
    const seconds = state.TimeoutSeconds;
    if (task.callback || typeof seconds !== 'number') return undefined;
    return Duration.seconds(Math.min(seconds, maxFunctionTimeoutSeconds));
  }

  /**
   * A Distributed Map runs its item processor as child executions of this state machine: its role
   * starts them, watches and stops them, and reads the item list from the bucket. As the Step
   * Functions guide's policy for Distributed Map states has it, scoped to this state machine's own
   * executions: Standard children are `execution:<name>/<map run>:<id>`, Express ones
   * `express:<name>/<map run>…`.
   */
  private allowDistributedMaps(stateMachineName: string): void {
    const distributedMaps = [...this.states].filter(
      ([, state]) => state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED',
    );
    if (distributedMaps.length === 0) return;
    const stack = Stack.of(this);
    const childExecutions = (['execution', 'express'] as const).map((resource) => ({
      resource,
      arn: stack.formatArn({
        service: 'states',
        resource,
        resourceName: `${stateMachineName}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    }));
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        // RedriveExecution: redriving the parent redrives its map run's failed children.
        actions: ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
        resources: childExecutions.map(({ arn }) => arn),
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge(
      ...childExecutions.map(({ resource }) => ({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}:${stateMachineName}/*]`,
        reason:
          `Describes, stops and redrives the child executions its Distributed Map states start. Their ARNs hold the ` +
          `map run's label and an id known only at run time; the wildcard spans only ${stateMachineName}'s ` +
          'own children.',
      })),
    );

    const readers = distributedMaps.filter(([, state]) => state.ItemReader);
    if (readers.length === 0) return;
    for (const [stateName, { ItemReader }] of readers) {
      if (ItemReader?.Resource !== s3GetObjectReader) {
        throw new Error(
          `${stateName} of ${this.name} reads its items with ${ItemReader?.Resource}; only ${s3GetObjectReader} (an item list) is supported`,
        );
      }
    }
    const bucket = this.itemListBucket;
    if (!bucket) {
      throw new Error(
        `${readers.map(([stateName]) => stateName).join(', ')} of ${this.name} reads an item list, but the workflow was given no item-list bucket`,
      );
    }
    const writesResults = distributedMaps.some(([, state]) => state.ResultWriter);
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        // A ResultWriter writes the children's results next to the list, in multipart uploads.
        actions: [
          's3:GetObject',
          ...(writesResults
            ? ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']
            : []),
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    const bucketLogicalId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      reason:
        'The ItemReader reads the item list whose key a task wrote into the execution state, known only ' +
        'at run time, and the ResultWriter writes the results beside it; the wildcard spans only the ' +
        'item-list bucket, which holds nothing but item lists and their results.',
    });
  }
}
