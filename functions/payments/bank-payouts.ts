import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';
import { bankPayoutStateOf, sellerIdOf } from '#shared/payments/stripe-connect.ts';
import { bankPayoutStore } from '../stores.ts';
import { stripe } from '../stripe.ts';

/**
 * `payout.paid` or `payout.failed` of a connected account: a payout to the seller's bank reached an
 * end (a paid payout can still fail later). The payout is re-read from Stripe and stored for the
 * seller the account names. The platform's own payouts carry no account and are not sellers'.
 */
export async function applyBankPayoutEvent(event: Stripe.PayoutPaidEvent | Stripe.PayoutFailedEvent) {
  const stripeAccount = event.account;
  if (!stripeAccount) {
    logger.info('payout of the platform account ignored', { eventId: event.id, type: event.type });
    return;
  }
  const observedAt = new Date();
  const [payout, account] = await Promise.all([
    stripe.payouts.retrieve(event.data.object.id, {}, { stripeAccount }),
    stripe.accounts.retrieve(stripeAccount),
  ]);
  const sellerId = sellerIdOf(account);
  if (!sellerId) {
    logger.warn('payout of an account created for no seller', { eventId: event.id, stripeAccount });
    return;
  }
  await bankPayoutStore.record(sellerId, bankPayoutStateOf(payout, stripeAccount), observedAt);
}
