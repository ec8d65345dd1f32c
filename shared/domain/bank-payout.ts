import type { Money } from './money.ts';

/**
 * A Stripe payout from a seller's connected account to the seller's bank. Not to be confused with
 * the marketplace's payout runs, which move the seller's earnings into that connected account.
 */
export const bankPayoutStatuses = ['pending', 'in_transit', 'paid', 'failed', 'canceled'] as const;
export type BankPayoutStatus = (typeof bankPayoutStatuses)[number];

export const isBankPayoutStatus = (status: string): status is BankPayoutStatus =>
  (bankPayoutStatuses as readonly string[]).includes(status);

/** A bank payout as Stripe reported it. */
export interface BankPayoutState {
  readonly payoutId: string;
  readonly stripeAccountId: string;
  readonly amount: Money;
  readonly status: BankPayoutStatus;
  /** The day (`YYYY-MM-DD`) Stripe expects the money in the bank. */
  readonly arrivalDate: string;
  /** When Stripe created the payout. */
  readonly createdAt: string;
  /** Why the bank refused it (Stripe's code, e.g. `account_closed`), once it failed. */
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
}

export interface BankPayout extends BankPayoutState {
  readonly sellerId: string;
  /** When the read from Stripe that found this state began; a later read never loses to an earlier one. */
  readonly observedAt: string;
  readonly updatedAt: string;
}
