import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';
import { payments } from '../composition/payments.ts';
import { recordCheckoutPayment } from '../orders/checkout-payment.ts';

type PaymentIntentEvent = Extract<Stripe.Event, { data: { object: Stripe.PaymentIntent } }>;

/**
 * A checkout's PaymentIntent changed (authorised after authentication, failed, captured,
 * cancelled): its current state is read from Stripe and recorded, whatever the event said.
 */
export async function applyPaymentIntentEvent(event: PaymentIntentEvent): Promise<void> {
  const payment = await payments.retrieve(event.data.object.id);
  if (!payment.checkoutId) {
    logger.info('payment of no checkout ignored', { eventId: event.id, paymentId: payment.paymentId });
    return;
  }
  await recordCheckoutPayment(payment.checkoutId, payment);
}
