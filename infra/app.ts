import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseOrigins } from '#shared/http/cors.ts';
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

/** `-c corsAllowOrigins=https://shop.example,https://admin.example`; any origin by default. */
function corsAllowOriginsFrom(app: App): string[] {
  const value: unknown = app.node.tryGetContext('corsAllowOrigins') ?? '*';
  if (typeof value !== 'string' || parseOrigins(value).length === 0) {
    throw new Error(
      `Context corsAllowOrigins must be a comma-separated list of origins, got ${JSON.stringify(value)}`,
    );
  }
  return parseOrigins(value);
}

const app = new App();
new MarketplaceStack(app, 'Marketplace', {
  deletionProtection: deletionProtectionFrom(app),
  corsAllowOrigins: corsAllowOriginsFrom(app),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
