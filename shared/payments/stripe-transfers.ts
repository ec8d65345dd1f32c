import Stripe from 'stripe';
import { type PayoutTransfer, TransferRefused, type Transfers } from './port.ts';
import { moneyCallOptions } from './stripe-client.ts';

/**
 * Payout transfers on Stripe Connect (separate charges and transfers), tagged with the run's
 * transfer group and the seller, so one whose key Stripe forgot is found by listing them.
 */
export class StripeTransfers implements Transfers {
  constructor(private readonly stripe: Stripe) {}

  async transfer(payout: PayoutTransfer): Promise<string> {
    try {
      const transfer = await this.stripe.transfers.create(
        {
          amount: payout.amount,
          currency: payout.currency.toLowerCase(),
          destination: payout.stripeAccountId,
          transfer_group: payout.group,
          metadata: { sellerId: payout.sellerId, payoutKey: payout.key },
        },
        moneyCallOptions(payout.key),
      );
      return transfer.id;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      throw new TransferRefused(error.code ?? 'invalid_request', error.message);
    }
  }

  async find(payout: PayoutTransfer): Promise<string | undefined> {
    for await (const transfer of this.stripe.transfers.list({
      destination: payout.stripeAccountId,
      transfer_group: payout.group,
      limit: 100,
    })) {
      if (transfer.metadata?.payoutKey === payout.key) return transfer.id;
    }
    return undefined;
  }

  async reverse({
    transferId,
    amount,
    key,
  }: {
    transferId: string;
    amount: number;
    key: string;
  }): Promise<number> {
    const transfer = await this.stripe.transfers.retrieve(transferId);
    const earlier = transfer.reversals.data.find((reversal) => reversal.metadata?.reversalKey === key);
    if (earlier) return earlier.amount;
    try {
      const reversal = await this.stripe.transfers.createReversal(
        transferId,
        { amount, metadata: { reversalKey: key } },
        moneyCallOptions(key),
      );
      return reversal.amount;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      throw new TransferRefused(error.code ?? 'invalid_request', error.message);
    }
  }
}
