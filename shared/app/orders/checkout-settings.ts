import * as z from 'zod';

/** The operator's limits on checkouts that hold stock before they are paid. */
export interface CheckoutSettings {
  /** How long a checkout's orders wait for the payment before they are cancelled and restocked. */
  readonly paymentWindowSeconds: number;
  /** Checkouts one buyer may have waiting for their payment at once. */
  readonly maxUnpaidCheckouts: number;
}

export const defaultCheckoutSettings: CheckoutSettings = { paymentWindowSeconds: 900, maxUnpaidCheckouts: 3 };

/** A day: longer, an abandoned cart would hold its stock for as long as a card authorisation lasts. */
export const maxPaymentWindowSeconds = 86_400;
export const maxUnpaidCheckoutsLimit = 100;

const settingsSchema = z.object({
  CHECKOUT_PAYMENT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(maxPaymentWindowSeconds)
    .default(defaultCheckoutSettings.paymentWindowSeconds),
  CHECKOUT_MAX_UNPAID: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxUnpaidCheckoutsLimit)
    .default(defaultCheckoutSettings.maxUnpaidCheckouts),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function checkoutSettings(environment: NodeJS.ProcessEnv = process.env): CheckoutSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid checkout settings: ${z.prettifyError(parsed.error)}`);
  return {
    paymentWindowSeconds: parsed.data.CHECKOUT_PAYMENT_WINDOW_SECONDS,
    maxUnpaidCheckouts: parsed.data.CHECKOUT_MAX_UNPAID,
  };
}
