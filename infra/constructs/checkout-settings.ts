import type { CheckoutSettings } from '#shared/app/orders/checkout-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';

/** The settings as the environment shared/app/orders/checkout-settings.ts reads them from. */
export function checkoutEnvironment(settings: CheckoutSettings): Record<string, string> {
  return {
    CHECKOUT_PAYMENT_WINDOW_SECONDS: String(settings.paymentWindowSeconds),
    CHECKOUT_MAX_UNPAID: String(settings.maxUnpaidCheckouts),
  };
}

/** Whether a function reads the checkout settings: the one placing checkouts declares it. */
export const readsCheckoutSettings = (uses: FunctionResources): boolean => uses.checkoutSettings === true;
