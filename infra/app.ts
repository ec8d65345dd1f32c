import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MarketplaceStack } from './marketplace-stack.ts';

/**
 * `-c deletionProtection=false` for throwaway stacks. Protected is the default: forgetting the flag
 * must never let a stack deletion or a table replacement drop the marketplace's orders and ledger.
 */
function deletionProtectionFrom(app: App): boolean {
  const value: unknown = app.node.tryGetContext('deletionProtection') ?? true;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context deletionProtection must be true or false, got ${JSON.stringify(value)}`);
}

const app = new App();
new MarketplaceStack(app, 'Marketplace', { deletionProtection: deletionProtectionFrom(app) });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
