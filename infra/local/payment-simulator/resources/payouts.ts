import type { OperationContext } from '../context.ts';
import { invalidRequest, resourceMissing } from '../errors.ts';
import { newId } from '../ids.ts';
import type { SimPayout } from '../objects.ts';
import { found } from '../state.ts';

/** Bank failures Stripe reports on payouts, with its messages. */
export const payoutFailures = {
  account_closed: 'The bank account has been closed.',
  account_frozen: 'The bank account has been frozen.',
  could_not_process: 'The bank could not process this payout.',
  insufficient_funds: 'Your Stripe account has insufficient funds to cover the payout.',
  no_account:
    'The bank account details on file are probably incorrect. No bank account could be located with those details.',
} as const;
export type PayoutFailureCode = keyof typeof payoutFailures;

export interface PayoutOptions {
  readonly currency: string;
  /** Defaults to the account's whole available balance in that currency. */
  readonly amount?: number;
  readonly outcome?: 'paid' | 'failed';
  readonly failureCode?: PayoutFailureCode;
}

/**
 * A connected account's payout to its bank reached its end: `payout.paid`, or `payout.failed`
 * (the money stays in the account's balance), as a Connect event of that account.
 */
export function simulatePayout(
  context: OperationContext,
  accountId: string,
  options: PayoutOptions,
): SimPayout {
  const account = found(context.state.accounts, accountId, 'account', 'account');
  if (!account.payouts_enabled) {
    throw invalidRequest(`Payouts are not enabled on account ${accountId}.`, { code: 'payouts_not_allowed' });
  }
  const currency = options.currency.toLowerCase();
  const available = context.state.balances.available(accountId, currency);
  const amount = options.amount ?? available;
  if (amount < 1 || amount > available) {
    throw invalidRequest(
      `Account ${accountId} has ${available} ${currency} available; ${amount} cannot be paid out.`,
      {
        code: 'balance_insufficient',
      },
    );
  }
  const outcome = options.outcome ?? 'paid';
  const failureCode = outcome === 'failed' ? (options.failureCode ?? 'could_not_process') : null;
  const created = context.clock.now();
  const payout: SimPayout = {
    id: newId('po'),
    object: 'payout',
    amount,
    arrival_date: created,
    automatic: true,
    balance_transaction: null,
    created,
    currency,
    description: 'STRIPE PAYOUT',
    destination: newId('ba'),
    failure_code: failureCode,
    failure_message: failureCode ? payoutFailures[failureCode] : null,
    livemode: false,
    metadata: {},
    method: 'standard',
    source_type: 'card',
    statement_descriptor: null,
    status: outcome,
    type: 'bank_account',
  };
  context.state.payouts.set(payout.id, { account: accountId, payout });
  if (outcome === 'paid') context.state.balances.add(accountId, currency, -amount);
  context.emit(outcome === 'paid' ? 'payout.paid' : 'payout.failed', payout, { account: accountId });
  return payout;
}

/** A payout, read as Stripe allows it: with the `Stripe-Account` header of the account it belongs to. */
export function retrievePayout(context: OperationContext, id: string, stripeAccount: string | undefined) {
  const entry = context.state.payouts.get(id);
  if (!entry || entry.account !== stripeAccount) throw resourceMissing('payout', id, 'payout');
  return entry.payout;
}
