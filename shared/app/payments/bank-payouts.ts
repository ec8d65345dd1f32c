import type Stripe from 'stripe';
import type { BankPayout } from '#shared/domain/bank-payout.ts';
import { logger } from '#shared/logger.ts';
import { bankPayoutStateOf, sellerIdOf } from '#shared/payments/stripe-connect.ts';
import { bankPayoutStore } from '../composition/stores/bank-payout-store.ts';
import { payoutRunStore } from '../composition/stores/payout-run-store.ts';
import { stripeApi } from '../composition/stripe-api.ts';

/** Stripe's times are whole seconds: a transfer paid in the second a bank payout was created may be in it. */
const paidSecond = (iso: string) => iso.slice(0, 19);

/** How many of the seller's latest payouts a bank payout may cover. */
const payoutsCovered = 50;

/**
 * Stripe pays a connected account's balance out to the bank on its own schedule, without saying
 * which transfers a bank payout carried. A bank payout is taken to carry the transfers paid before
 * it was created that no paid bank payout carried yet: they show its status, and a failure's reason
 * until a later bank payout pays them.
 */
async function showOnPayouts(sellerId: string, bankPayout: BankPayout): Promise<void> {
  const { items } = await payoutRunStore.sellerPayouts(sellerId, payoutsCovered);
  const carried = items.filter(
    (line) =>
      line.status === 'paid' &&
      line.currency === bankPayout.amount.currency &&
      line.paidAt !== undefined &&
      paidSecond(line.paidAt) <= paidSecond(bankPayout.createdAt) &&
      (line.bankPayout?.status !== 'paid' || line.bankPayout.payoutId === bankPayout.payoutId),
  );
  for (const line of carried) {
    await payoutRunStore.recordBankPayout(line, {
      payoutId: bankPayout.payoutId,
      status: bankPayout.status,
      failureCode: bankPayout.failureCode,
      failureMessage: bankPayout.failureMessage,
    });
  }
}

/**
 * `payout.paid` or `payout.failed` of a connected account: a payout to the seller's bank reached an
 * end (a paid payout can still fail later). The payout is re-read from Stripe and stored for the
 * seller the account names, and shown on the payouts it carried. The platform's own payouts carry no
 * account and are not sellers'.
 */
export async function applyBankPayoutEvent(event: Stripe.PayoutPaidEvent | Stripe.PayoutFailedEvent) {
  const stripeAccount = event.account;
  if (!stripeAccount) {
    logger.info('payout of the platform account ignored', { eventId: event.id, type: event.type });
    return;
  }
  const stripe = await stripeApi();
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
  const bankPayout = await bankPayoutStore.record(
    sellerId,
    bankPayoutStateOf(payout, stripeAccount),
    observedAt,
  );
  await showOnPayouts(sellerId, bankPayout);
}
