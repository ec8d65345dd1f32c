import { platform } from '../balances.ts';
import type { OperationContext } from '../context.ts';
import type { SimBalance } from '../objects.ts';
import { found } from '../state.ts';

/** The platform's balance, or with `Stripe-Account` a connected account's; all of it available. */
export function retrieveBalance(context: OperationContext, stripeAccount: string | undefined): SimBalance {
  const holder =
    stripeAccount === undefined
      ? platform
      : found(context.state.accounts, stripeAccount, 'account', 'account').id;
  return {
    object: 'balance',
    available: context.state.balances.list(holder).map(({ amount, currency }) => ({
      amount,
      currency,
      source_types: { card: amount },
    })),
    pending: [],
    livemode: false,
  };
}

/**
 * Adds funds to the platform balance, as charging Stripe's 4000000000000077 test card does, so
 * transfers can be made without simulating the sales behind them (benchmarks).
 */
export function fundPlatform(context: OperationContext, amount: number, currency: string): void {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new RangeError(`Cannot add ${amount} to the balance`);
  }
  context.state.balances.add(platform, currency.toLowerCase(), amount);
}
