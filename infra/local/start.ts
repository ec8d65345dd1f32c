import { localConfig } from './config.ts';
import { startLocalStack } from './stack.ts';

const inMemory = process.argv.includes('--in-memory');

try {
  const stack = await startLocalStack({
    port: localConfig.port,
    dynamoDbPort: localConfig.dynamoDbPort,
    tableName: localConfig.tableName,
    corsAllowOrigins: localConfig.corsAllowOrigins,
    ...(localConfig.sellerOnboardingUrl ? { sellerOnboardingUrl: localConfig.sellerOnboardingUrl } : {}),
    ...(localConfig.stripeTestMode ? { stripe: localConfig.stripeTestMode } : {}),
    dataDir: localConfig.dataDir,
    inMemory,
  });
  console.log(`Marketplace API listening on ${stack.url}
  Data:     ${inMemory ? 'in memory (lost on exit)' : localConfig.dataDir}
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
