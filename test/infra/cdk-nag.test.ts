import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import { cdkContext } from './template.ts';

// The rules read resource properties, not function code, so bundling is skipped to keep this fast.
function marketplace(context: Record<string, string>) {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
  return { app, stack: new MarketplaceStack(app, 'Marketplace', deploymentSettings(app)) };
}

const deployments = {
  'the defaults': marketplace({}),
  // What the defaults leave out: resources deleted with the stack, and the payout schedules.
  'an unprotected stack with payout schedules': marketplace({
    deletionProtection: 'false',
    payoutSchedule: 'cron(0 6 ? * MON *)',
    payoutScheduleCurrencies: 'EUR,USD',
  }),
};

describe.each(Object.entries(deployments))('cdk-nag AwsSolutions on %s', (_name, { app, stack }) => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
      ),
    );
    expect(findings).toEqual([]);
  });

  it('has no acknowledgment on the whole stack', () => {
    const stackWide = stack.node.metadata.filter(
      (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    );
    expect(stackWide).toEqual([]);
  });
});
