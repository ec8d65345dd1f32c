import type Stripe from 'stripe';

/*
 * The objects the simulator keeps, typed as the subset of the SDK's own object types it maintains:
 * every field it returns has the name and type the real API gives it.
 */

export type SimAccount = Pick<
  Stripe.Account,
  | 'id'
  | 'object'
  | 'type'
  | 'country'
  | 'email'
  | 'created'
  | 'default_currency'
  | 'business_type'
  | 'capabilities'
  | 'charges_enabled'
  | 'payouts_enabled'
  | 'details_submitted'
  | 'requirements'
  | 'metadata'
>;

export type SimPaymentIntent = Pick<
  Stripe.PaymentIntent,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_capturable'
  | 'amount_received'
  | 'canceled_at'
  | 'cancellation_reason'
  | 'capture_method'
  | 'client_secret'
  | 'confirmation_method'
  | 'created'
  | 'currency'
  | 'description'
  | 'last_payment_error'
  | 'latest_charge'
  | 'livemode'
  | 'metadata'
  | 'next_action'
  | 'payment_method'
  | 'payment_method_types'
  | 'status'
  | 'transfer_group'
>;

export type SimCharge = Pick<
  Stripe.Charge,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_captured'
  | 'amount_refunded'
  | 'balance_transaction'
  | 'captured'
  | 'created'
  | 'currency'
  | 'description'
  | 'disputed'
  | 'failure_code'
  | 'failure_message'
  | 'livemode'
  | 'metadata'
  | 'paid'
  | 'payment_intent'
  | 'payment_method'
  | 'refunded'
  | 'status'
  | 'transfer_group'
> & {
  /** Cards only; an uncaptured authorisation says until when it can be captured. */
  payment_method_details: { type: 'card'; card: { capture_before?: number } };
};

export type SimRefund = Pick<
  Stripe.Refund,
  | 'id'
  | 'object'
  | 'amount'
  | 'balance_transaction'
  | 'charge'
  | 'created'
  | 'currency'
  | 'metadata'
  | 'payment_intent'
  | 'reason'
  | 'status'
>;

export type SimTransferReversal = Pick<
  Stripe.TransferReversal,
  | 'id'
  | 'object'
  | 'amount'
  | 'balance_transaction'
  | 'created'
  | 'currency'
  | 'destination_payment_refund'
  | 'metadata'
  | 'source_refund'
  | 'transfer'
>;

export interface SimList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  total_count: number;
  url: string;
}

export type SimTransfer = Pick<
  Stripe.Transfer,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_reversed'
  | 'balance_transaction'
  | 'created'
  | 'currency'
  | 'description'
  | 'destination'
  | 'destination_payment'
  | 'livemode'
  | 'metadata'
  | 'reversed'
  | 'source_transaction'
  | 'source_type'
  | 'transfer_group'
> & { reversals: SimList<SimTransferReversal> };

export type SimDispute = Pick<
  Stripe.Dispute,
  | 'id'
  | 'object'
  | 'amount'
  | 'charge'
  | 'created'
  | 'currency'
  | 'evidence_details'
  | 'is_charge_refundable'
  | 'livemode'
  | 'metadata'
  | 'payment_intent'
  | 'reason'
  | 'status'
>;

export type SimPayout = Pick<
  Stripe.Payout,
  | 'id'
  | 'object'
  | 'amount'
  | 'arrival_date'
  | 'automatic'
  | 'balance_transaction'
  | 'created'
  | 'currency'
  | 'description'
  | 'destination'
  | 'failure_code'
  | 'failure_message'
  | 'livemode'
  | 'metadata'
  | 'method'
  | 'source_type'
  | 'statement_descriptor'
  | 'status'
  | 'type'
>;

export type SimBalance = Pick<Stripe.Balance, 'object' | 'available' | 'pending' | 'livemode'>;

export type SimEvent = Stripe.EventBase;

/** `Object.assign` that checks the changes against the object's type. */
export function update<T extends object>(object: T, changes: Partial<T>): T {
  return Object.assign(object, changes);
}
