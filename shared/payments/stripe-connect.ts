import type Stripe from 'stripe';
import { type BankPayoutState, isBankPayoutStatus } from '../domain/bank-payout.ts';
import type { PaymentsAccountState } from '../domain/payments-account.ts';

/** The metadata key naming the seller a connected account belongs to, set when the account is created. */
export const sellerIdMetadataKey = 'sellerId';

/** The seller a connected account was created for; undefined for accounts the marketplace did not create. */
export const sellerIdOf = (account: Stripe.Account): string | undefined =>
  account.metadata?.[sellerIdMetadataKey] || undefined;

export function paymentsAccountStateOf(account: Stripe.Account): PaymentsAccountState {
  return {
    stripeAccountId: account.id,
    chargesEnabled: account.charges_enabled,
    payoutsEnabled: account.payouts_enabled,
    detailsSubmitted: account.details_submitted,
    requirementsDue: account.requirements?.currently_due ?? [],
    disabledReason: account.requirements?.disabled_reason ?? null,
  };
}

const isoTime = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** A payout of the connected account `stripeAccountId` (a payout does not name its account). */
export function bankPayoutStateOf(payout: Stripe.Payout, stripeAccountId: string): BankPayoutState {
  if (!isBankPayoutStatus(payout.status)) {
    throw new Error(`Payout ${payout.id} has the status ${payout.status}, which this code does not know`);
  }
  return {
    payoutId: payout.id,
    stripeAccountId,
    amount: { amount: payout.amount, currency: payout.currency.toUpperCase() },
    status: payout.status,
    arrivalDate: isoTime(payout.arrival_date).slice(0, 10),
    createdAt: isoTime(payout.created),
    failureCode: payout.failure_code,
    failureMessage: payout.failure_message,
  };
}
