import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { deploymentSettings } from './context.ts';
import { MarketplaceStack } from './marketplace-stack.ts';

const app = new App();
new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
