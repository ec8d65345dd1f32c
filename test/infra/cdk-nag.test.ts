import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import { cdkContext } from './template.ts';

// The rules read resource properties, not function code, so bundling is skipped to keep this fast.
const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
const stack = new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));

describe('cdk-nag AwsSolutions', () => {
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
