import Stripe from 'stripe';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';

/** The real Stripe SDK, pointed at a running payment simulator. */
export const stripeClientOf = (simulator: PaymentSimulator) =>
  new Stripe(simulator.secretKey, {
    host: simulator.host,
    port: simulator.port,
    protocol: 'http',
    maxNetworkRetries: 2,
  });

/** The Stripe error a call fails with, for asserting its type, code and status. */
export async function stripeFailure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Stripe.errors.StripeError)) throw new Error(`Expected a Stripe error, got ${error}`);
  return error;
}
