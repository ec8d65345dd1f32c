import { resolve } from 'node:path';
import { localConfig } from './config.ts';
import { startLocalStack } from './stack.ts';

const inMemory = process.argv.includes('--in-memory');
/** The bundles `npm run synth` wrote, each function in a Lambda-like worker of its own. */
const artifacts = process.argv.includes('--artifacts') ? resolve('cdk.out') : undefined;
/** The sources, each function in a worker of its own with its own credentials. */
const isolate = process.argv.includes('--isolate');

const codeDescription = artifacts
  ? `the bundles in ${artifacts}, each function in a worker of its own`
  : isolate
    ? 'the sources, each function in a worker of its own'
    : 'the sources, in this process';

try {
  const stack = await startLocalStack({
    port: localConfig.port,
    dynamoDbPort: localConfig.dynamoDbPort,
    awsPort: localConfig.awsPort,
    tableName: localConfig.tableName,
    corsAllowOrigins: localConfig.corsAllowOrigins,
    ...(localConfig.sellerOnboardingUrl ? { sellerOnboardingUrl: localConfig.sellerOnboardingUrl } : {}),
    ...(localConfig.stripeTestMode ? { stripe: localConfig.stripeTestMode } : {}),
    dataDir: localConfig.dataDir,
    inMemory,
    operatorSettings: localConfig.operatorSettings,
    ...(artifacts ? { artifacts } : {}),
    isolate,
  });
  console.log(`Marketplace API listening on ${stack.url}
  Data:     ${inMemory ? 'in memory (lost on exit)' : localConfig.dataDir}
  Code:     ${codeDescription}
  AWS:      ${stack.aws.url} (AWS_ENDPOINT_URL for the AWS SDKs)
  OpenAPI:  ${stack.url}/openapi.json
  Payments: ${
    stack.paymentSimulator
      ? `payment simulator at ${stack.paymentSimulator.url} (Stripe's API; events go to /webhooks/stripe)`
      : `Stripe test mode; forward its events: stripe listen --forward-to ${stack.url}/webhooks/stripe`
  }
  A token:  npm run --silent token -- seller alice      (roles: buyer, seller, admin, finance)
  Then:     curl -H "Authorization: Bearer $(npm run --silent token -- seller alice)" ${stack.url}/sellers/me/listings
Press Ctrl+C to stop.`);
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(`Could not start the local marketplace: ${(error as Error).message}`);
  process.exit(1);
}
