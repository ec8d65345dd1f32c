import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HandlerFunction } from '#infra/constructs/handler-function.ts';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import { counters, stripeEventLagMetric } from '#shared/observability/metric-names.ts';
import { cdkContext, templateResources, tracingActions } from './template.ts';

// With notifications and payout schedules, so their functions and state machines are checked too.
const app = new App({
  context: {
    ...cdkContext,
    'aws:cdk:bundling-stacks': [],
    notificationSender: 'orders@shop.example',
    payoutSchedule: 'cron(0 6 ? * MON *)',
    payoutScheduleCurrencies: 'EUR',
  },
});
const stack = new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));
const template = Template.fromStack(stack);
const { resourcesOfType, roleOf, allStatementsOfRole, environmentOf } = templateResources(template);
const functionIds = resourcesOfType('AWS::Lambda::Function').map(([id]) => id);

describe('tracing', () => {
  it('is active on every function, and every function role may send its traces', () => {
    expect(functionIds.length).toBeGreaterThan(90);
    for (const [functionId, { Properties }] of resourcesOfType('AWS::Lambda::Function')) {
      expect(Properties.TracingConfig, functionId).toEqual({ Mode: 'Active' });
      const wildcards = allStatementsOfRole(roleOf(functionId)).filter(({ Resource }) => Resource === '*');
      expect(
        wildcards.flatMap(({ Action }) => Action),
        functionId,
      ).toEqual(expect.arrayContaining([...tracingActions]));
    }
  });

  it('is enabled on every state machine', () => {
    const machines = resourcesOfType('AWS::StepFunctions::StateMachine');
    expect(machines.length).toBe(4);
    for (const [machineId, { Properties }] of machines) {
      expect(Properties.TracingConfiguration, machineId).toEqual({ Enabled: true });
    }
  });

  it("acknowledges each role's X-Ray wildcard for its own function, naming it and the actions", () => {
    const handlerFunctions = stack.node.findAll().filter((node) => node instanceof HandlerFunction);
    expect(handlerFunctions).toHaveLength(functionIds.length);
    for (const { handler, role } of handlerFunctions) {
      const reasons = role.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .filter(([id]) => id.endsWith('AwsSolutions-IAM5[Resource::*]'))
        .map(([, reason]) => reason);
      expect(reasons, handler).toContainEqual(expect.stringContaining(`lets ${handler} send its traces`));
      expect(reasons.join(' '), handler).toContain('xray:PutTraceSegments');
    }
  });
});

describe('metrics', () => {
  it("are written by every function in the stack's namespace", () => {
    for (const functionId of functionIds) {
      expect(environmentOf(functionId).POWERTOOLS_METRICS_NAMESPACE, functionId).toBe('Marketplace');
    }
  });

  it('alarm the operators on a failed payout line, an opened chargeback and a Stripe event late by 15 minutes', () => {
    const [topic] = resourcesOfType('AWS::SNS::Topic').map(([id]) => id);
    const expected = [
      [counters.payoutLinesFailed, 'Sum', 1, 'GreaterThanOrEqualToThreshold'],
      [counters.chargebacksOpened, 'Sum', 1, 'GreaterThanOrEqualToThreshold'],
      [stripeEventLagMetric, 'Maximum', 900, 'GreaterThanThreshold'],
    ] as const;
    for (const [metricName, statistic, threshold, comparison] of expected) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Marketplace',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: 'marketplace' }],
        Statistic: statistic,
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: comparison,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topic }],
      });
    }
  });
});
