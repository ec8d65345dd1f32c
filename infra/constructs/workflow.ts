import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowDefinition, WorkflowTask } from '#workflows/workflow.ts';
import type { OperatorAlerts } from './alerts.ts';
import { HandlerFunction, type WorkflowTarget } from './handler-function.ts';

export interface WorkflowProps {
  readonly definition: WorkflowDefinition;
  readonly table: Table;
  readonly alerts: OperatorAlerts;
  /** Read by the task functions that declare `uses.stripe`. */
  readonly stripeSecret?: ISecret;
}

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

  constructor(scope: Construct, id: string, { definition, table, alerts, stripeSecret }: WorkflowProps) {
    super(scope, id);
    this.stripeSecret = stripeSecret;
    this.name = definition.name;
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
    const { workflow, search, queue, stripe } = task.uses;
    if (search || queue || (workflow && workflow.name !== this.name)) {
      throw new Error(
        `Task ${stateName} of ${this.name} may use the table, Stripe and its own workflow only, not search, a queue or another workflow`,
      );
    }
    if (stripe && !this.stripeSecret) {
      throw new Error(
        `Task ${stateName} of ${this.name} calls Stripe, but the workflow was given no Stripe secret`,
      );
    }
    return new HandlerFunction(this, stateName, {
      handler: task.handler,
      ...(task.uses.table ? { tableGrant: { table, actions: task.uses.table } } : {}),
      ...(workflow ? { workflowGrant: { workflow: this, actions: workflow.actions } } : {}),
      ...(stripe ? { stripeSecret: this.stripeSecret } : {}),
    }).function;
  }
}
