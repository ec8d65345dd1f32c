import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduledPayoutRuns } from '#functions/routes.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import type { OperatorAlerts } from './alerts.ts';
import { alarmingDeadLetters } from './dead-letters.ts';
import { HandlerFunction, type WorkflowTarget } from './handler-function.ts';
import { type PayoutRunSettings, payoutRunEnvironment } from './payout-settings.ts';

/** When payout runs start by themselves: one schedule per currency. */
export interface PayoutScheduleSettings {
  /** An EventBridge Scheduler expression: `cron(0 6 ? * MON *)`, `rate(7 days)` or `at(…)`. */
  readonly expression: string;
  /** ISO 4217 codes, one run each per occurrence. */
  readonly currencies: readonly string[];
  /** The IANA time zone the expression is read in. */
  readonly timeZone: string;
}

export interface PayoutScheduleProps {
  readonly schedule: PayoutScheduleSettings;
  readonly settings: PayoutRunSettings;
  readonly table: Table;
  /** The payout-run state machine, which the starter function starts. */
  readonly workflow: WorkflowTarget;
  readonly alerts: OperatorAlerts;
}

/** Scheduler's tries to invoke the function, over at most `maxEventAge`, before dead-lettering the occurrence. */
const deliveryRetryAttempts = 10;
const maxEventAge = Duration.hours(6);
/** Lambda's own retries of an invocation whose function failed (Scheduler invokes asynchronously). */
const functionRetryAttempts = 2;

/**
 * Payout runs started on a schedule: per currency, an EventBridge Scheduler schedule invokes the
 * scheduledPayoutRuns function with `{"currency", "scheduledTime"}`, and the function starts the run as
 * a finance user's request would. An occurrence Scheduler cannot deliver, or whose function still fails
 * after Lambda's retries, goes to one dead-letter queue that alarms.
 */
export class PayoutSchedule extends Construct {
  readonly starter: NodejsFunction;
  readonly deadLetters: Queue;
  readonly schedules: readonly Schedule[];

  constructor(scope: Construct, id: string, props: PayoutScheduleProps) {
    super(scope, id);
    const { schedule, settings, table, workflow, alerts } = props;
    const { handler } = scheduledPayoutRuns;
    const {
      table: tableActions,
      workflow: workflowUse,
      payoutSettings: _givenBelow,
      ...unwired
    }: FunctionResources = scheduledPayoutRuns.uses;
    if (Object.keys(unwired).length > 0) {
      throw new Error(
        `${handler} may use the table and the ${workflow.name} workflow only; wire ${Object.keys(unwired).join(', ')} in PayoutSchedule`,
      );
    }
    if (workflowUse && workflowUse.name !== workflow.name) {
      throw new Error(
        `${handler} uses the workflow ${workflowUse.name}, but PayoutSchedule was given ${workflow.name}`,
      );
    }

    this.deadLetters = alarmingDeadLetters(this, {
      deadLettersOf: `the payout schedules and the ${handler} function's failed invocations`,
      alerts,
      alarmDescription:
        'A scheduled payout run did not start: EventBridge Scheduler could not invoke the starter function, ' +
        `or the function failed after Lambda's ${functionRetryAttempts} retries. Each message holds ` +
        '{"currency","scheduledTime"} (as its body when Scheduler failed to deliver, as requestPayload beside ' +
        "the function's error otherwise). Find the cause in the starter function's logs, fix it, then invoke " +
        'the function with that event again: the run is named by its currency and scheduled time, so a ' +
        'run that did start is not started twice.',
    });

    this.starter = new HandlerFunction(this, 'Starter', {
      handler,
      ...(tableActions ? { tableGrant: { table, actions: tableActions } } : {}),
      ...(workflowUse ? { workflowGrant: { workflow, actions: workflowUse.actions } } : {}),
      environment: payoutRunEnvironment(settings),
      timeout: Duration.seconds(30),
    }).function;
    this.starter.configureAsyncInvoke({
      retryAttempts: functionRetryAttempts,
      onFailure: new SqsDestination(this.deadLetters),
    });

    const stack = Stack.of(this);
    // Its own role rather than the stack-wide one the target would create, so it is acknowledged here.
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    const timeZone = TimeZone.of(schedule.timeZone);
    this.schedules = schedule.currencies.map(
      (currency) =>
        new Schedule(this, `${currency}Schedule`, {
          schedule: ScheduleExpression.expression(schedule.expression, timeZone),
          description: `Starts a ${currency} payout run (${schedule.expression}, ${schedule.timeZone})`,
          target: new LambdaInvoke(this.starter, {
            role,
            input: ScheduleTargetInput.fromObject({
              currency,
              scheduledTime: ContextAttribute.scheduledTime,
            }),
            retryAttempts: deliveryRetryAttempts,
            maxEventAge,
            deadLetterQueue: this.deadLetters,
          }),
        }),
    );
    const starterLogicalId = stack.getLogicalId(this.starter.node.defaultChild as CfnFunction);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${starterLogicalId}.Arn>:*]`,
      reason:
        "The scheduler target's grant covers the starter function's versions and aliases too (`:*`); the " +
        'wildcard spans only that one function, and the role can do nothing but invoke it and dead-letter ' +
        'what it could not deliver.',
    });
  }
}
