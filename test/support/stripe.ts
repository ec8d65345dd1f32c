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

/** The PaymentIntent as the simulator last reported it in an event. */
export const latestPaymentIntent = (simulator: PaymentSimulator, paymentId: string) =>
  simulator
    .events()
    .map((event) => event.data.object as unknown as Stripe.PaymentIntent)
    .filter((object) => object.id === paymentId)
    .at(-1);

/** How many events of `type` the simulator emitted about the object `objectId`. */
export const eventCountOf = (simulator: PaymentSimulator, type: string, objectId: string) =>
  simulator.events(type).filter((event) => (event.data.object as { id?: string }).id === objectId).length;
