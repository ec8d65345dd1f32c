/**
 * Where a checkout's payment stands with the provider. `requires-payment-method`: none yet, or the
 * last one failed, and the buyer's client may try another; `requires-action`: the buyer's client
 * must complete strong customer authentication with the client secret.
 */
export const paymentStates = [
  'requires-payment-method',
  'requires-action',
  'processing',
  'authorised',
  'captured',
  'cancelled',
] as const;
export type PaymentStatus = (typeof paymentStates)[number];

export interface PaymentState {
  readonly paymentId: string;
  /** The checkout the payment was created for; absent on payments this platform did not create. */
  readonly checkoutId?: string;
  readonly status: PaymentStatus;
  /** For the buyer's client (Stripe.js) to confirm or authenticate the payment. */
  readonly clientSecret?: string;
  /** Why the last attempt failed, for the buyer. */
  readonly failure?: string;
  /** Until when an authorised payment can be captured, as the card network set it. */
  readonly captureBefore?: string;
}

/** A chargeback on a checkout's payment, as the card network stands on it now. */
export interface Dispute {
  readonly disputeId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly status: 'open' | 'won' | 'lost';
}

export interface CheckoutPayment {
  readonly checkoutId: string;
  readonly buyerId: string;
  readonly amount: number;
  readonly currency: string;
  /** A payment method the buyer's client created; the payment is confirmed with it at once. */
  readonly paymentMethod?: string;
}

/** One checkout's payment, as the calls that move its money name it. */
export interface PaymentReference {
  readonly checkoutId: string;
  readonly paymentId: string;
}

export interface Refund extends PaymentReference {
  /** Unique per refund of the checkout, e.g. `<orderId>:<refundId>`: a retry never refunds twice. */
  readonly refundKey: string;
  readonly amount: number;
}

/**
 * What the platform needs from a payment provider: one authorisation per checkout, captured once
 * (for the orders that went ahead) or cancelled, then refunded in parts. Every call that moves
 * money is idempotent per checkout or refund, so a call retried after a crash never moves it twice.
 */
export interface Payments {
  /** Creates the checkout's payment, once per checkout. */
  authorise(payment: CheckoutPayment): Promise<PaymentState>;
  /** The payment as the provider has it now. */
  retrieve(paymentId: string): Promise<PaymentState>;
  /** Takes `amount` of the authorisation; the provider releases the rest. */
  capture(payment: PaymentReference, amount: number): Promise<void>;
  /** Releases the whole authorisation. */
  cancel(payment: PaymentReference): Promise<void>;
  /** Refunds once per refund key, even after the provider forgot the idempotency key. */
  refund(refund: Refund): Promise<void>;
  /**
   * A refund the provider made: its key (absent on refunds this platform did not ask for), its
   * amount, and whether it failed after it was made.
   */
  refundMade(
    providerRefundId: string,
  ): Promise<{ readonly refundKey?: string; readonly amount: number; readonly failed: boolean }>;
  retrieveDispute(disputeId: string): Promise<Dispute>;
}

/** The provider refused: the payment is not in a state that allows the call, or not enough is left. */
export class PaymentRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentRejected';
  }
}

/** A transfer from the platform's balance to a seller's connected account: one seller's payout in a run. */
export interface PayoutTransfer {
  /** The idempotency key, unique per run and seller. */
  readonly key: string;
  /** The run's transfer group, by which the transfer is found again. */
  readonly group: string;
  readonly sellerId: string;
  readonly stripeAccountId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Moving sellers' earnings to their connected accounts. */
export interface Transfers {
  /** Makes the transfer once per key and returns the provider's id; throws TransferRefused. */
  transfer(transfer: PayoutTransfer): Promise<string>;
  /** The provider's id of the transfer made for this payout, if one was: for when its key may be forgotten. */
  find(transfer: PayoutTransfer): Promise<string | undefined>;
  /**
   * Takes `amount` of a transfer back from the connected account, once per key: a reversal made
   * before under this key (even one whose key the provider forgot) is answered with its amount.
   * Returns the amount reversed; throws TransferRefused.
   */
  reverse(reversal: {
    readonly transferId: string;
    readonly amount: number;
    readonly key: string;
  }): Promise<number>;
}

/** The provider refused the transfer for good (e.g. the account cannot receive transfers). */
export class TransferRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransferRefused';
  }
}
