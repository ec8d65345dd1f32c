import { stripeConfiguration } from '#shared/app/composition/stripe.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { onboardingReturnUrlVariable } from '#shared/payments/onboarding-urls.ts';
import { systemRoutes } from '../routes/system.ts';

/** The settings the operator gives that are missing or malformed, by name, never with their values. */
async function settingProblems() {
  const stripe = await stripeConfiguration();
  const stripeFields = (fields: readonly string[]) => fields.map((field) => `stripe.${field}`);
  return {
    missing: [
      ...(stripe.complete ? [] : stripeFields(stripe.missing)),
      // The CDK context option that gives Stripe's onboarding its way back (synth warns without it).
      ...(process.env[onboardingReturnUrlVariable] ? [] : ['sellerOnboardingUrl']),
    ],
    invalid: stripe.complete ? [] : stripeFields(stripe.invalid),
  };
}

/** Never cached on the way: each check must reach the deployment. */
const uncached = { 'cache-control': 'no-store' };

/**
 * Up and configured, or up but missing settings: 503 then, so that a check reading only the status
 * code (a load balancer, an uptime monitor, the smoke check) tells a deployment that cannot take
 * payments from one that can.
 */
export const handler = httpHandler(systemRoutes.health, async () => {
  const { missing, invalid } = await settingProblems();
  if (missing.length === 0 && invalid.length === 0) {
    return { status: 200, headers: uncached, body: { status: 'ok' } };
  }
  return { status: 503, headers: uncached, body: { status: 'degraded', missing, invalid } };
});
