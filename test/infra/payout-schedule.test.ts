import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { scheduledPayoutRuns } from '#functions/routes.ts';
import { payoutSettings } from '#shared/app/payouts/payout-settings.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import {
  expectAlarmingDeadLetters,
  type GetAtt,
  statesArn,
  synthesize,
  templateResources,
} from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({
  deletionProtection: true,
  bundle: false,
  context: {
    payoutSchedule: 'cron(0 6 ? * MON *)',
    payoutScheduleCurrencies: 'EUR, USD',
    payoutScheduleTimezone: 'Europe/Berlin',
    payoutMinimumAmount: '5000',
    payoutConcurrency: '50',
  },
});
const { resourcesOfType, theOnly, roleOf, statementsOfRole, actionsOf, environmentOf } =
  templateResources(template);

const schedules = resourcesOfType('AWS::Scheduler::Schedule');
type Target = { Arn: GetAtt; RoleArn: GetAtt; DeadLetterConfig: { Arn: GetAtt }; Input: string };
const targetOf = (properties: Record<string, unknown>) => properties.Target as Target;
const [firstSchedule] = schedules;
if (!firstSchedule) throw new Error('Expected payout schedules');
const starterId = targetOf(firstSchedule[1].Properties).Arn['Fn::GetAtt'][0];
const deadLettersId = targetOf(firstSchedule[1].Properties).DeadLetterConfig.Arn['Fn::GetAtt'][0];
const schedulerRoleId = targetOf(firstSchedule[1].Properties).RoleArn['Fn::GetAtt'][0];
const payoutRunArn = statesArn(':stateMachine:Marketplace-payout-run');

describe('payout schedules', () => {
  it('are one per configured currency, with the cron expression and time zone from the context', () => {
    expect(schedules).toHaveLength(2);
    for (const currency of ['EUR', 'USD']) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 6 ? * MON *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [starterId, 'Arn'] },
          Input: JSON.stringify({ currency, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        }),
      });
    }
  });

  it('retry delivery, then dead-letter the occurrence to a queue that alarms', () => {
    for (const [, schedule] of schedules) {
      expect(schedule.Properties.Target).toMatchObject({
        RetryPolicy: {
          MaximumRetryAttempts: expect.any(Number),
          MaximumEventAgeInSeconds: expect.any(Number),
        },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] } },
      });
      const { RetryPolicy } = schedule.Properties.Target as { RetryPolicy: { MaximumRetryAttempts: number } };
      expect(RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    expectAlarmingDeadLetters(template, deadLettersId, 'scheduled payout run did not start');
  });

  it("invoke through a role trusted by this account's schedules, allowed to invoke the starter and dead-letter only", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) },
          }),
        ],
      },
    });
    expect(new Set(statementsOfRole(schedulerRoleId).flatMap((statement) => statement.Action))).toEqual(
      new Set(['lambda:InvokeFunction', 'sqs:SendMessage']),
    );
  });
});

describe('scheduled payout run starter', () => {
  it('is the scheduledPayoutRuns handler, on top of the functions the stack deploys anyway', () => {
    const unscheduled = synthesize({ deletionProtection: true, bundle: false });
    unscheduled.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(resourcesOfType('AWS::Lambda::Function')).toHaveLength(
      templateResources(unscheduled).resourcesOfType('AWS::Lambda::Function').length + 1,
    );
    expect(scheduledPayoutRuns.handler).toBe('payouts/start-scheduled-run');
  });

  it('may use the table as scheduledPayoutRuns declares and start payout-run executions', () => {
    const dynamoActions = actionsOf(starterId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set((scheduledPayoutRuns.uses.table ?? []).map((action) => `dynamodb:${action}`)),
    );
    const statesStatements = statementsOfRole(roleOf(starterId)).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('states:')),
    );
    expect(statesStatements).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: payoutRunArn }),
    ]);
    expect(environmentOf(starterId)[resourceVariables.workflowArn(payoutRun.name)]).toEqual(payoutRunArn);
  });

  it('is given the payout settings from the context, defaults where none is set', () => {
    const environment = environmentOf(starterId);
    expect(environment).toMatchObject({
      PAYOUT_MINIMUM_AMOUNT: '5000',
      PAYOUT_APPROVAL_THRESHOLD: '1000000',
      PAYOUT_APPROVAL_TIMEOUT_SECONDS: '86400',
      PAYOUT_CONCURRENCY: '50',
    });
    expect(payoutSettings(environment as NodeJS.ProcessEnv)).toEqual({
      policy: { minimumPayout: 5000, approvalThreshold: 1_000_000 },
      concurrency: 50,
      approvalTimeoutSeconds: 86_400,
    });
  });

  it("sends invocations that still fail after Lambda's retries to the same dead-letter queue", () => {
    expect(theOnly('AWS::Lambda::EventInvokeConfig').Properties).toMatchObject({
      FunctionName: { Ref: starterId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLettersId, 'Arn'] } } },
    });
    expect(actionsOf(starterId)).toContain('sqs:SendMessage');
  });
});
