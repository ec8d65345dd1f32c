/** The payment of one checkout: authorised once, then captured, cancelled or refunded per order. */
export interface PaymentAuthorisation {
  readonly paymentId: string;
  /** `requires_action`: the buyer's client must complete strong customer authentication. */
  readonly status: 'authorised' | 'requires_action';
  readonly clientSecret?: string;
}

export interface CheckoutPayment {
  readonly checkoutId: string;
  readonly buyerId: string;
  readonly amount: number;
  readonly currency: string;
}

/** One order's part of its checkout's payment. */
export interface OrderPayment {
  readonly checkoutId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
}

/**
 * What the order workflow needs from a payment provider. Every call is idempotent per checkout or
 * order, so a retried task never charges, captures or refunds twice.
 */
export interface Payments {
  authorise(payment: CheckoutPayment): Promise<PaymentAuthorisation>;
  capture(part: OrderPayment): Promise<void>;
  /**
   * Gives the buyer back the order's part: refunded if it was captured, else its authorisation
   * released. The provider decides from its own records, so a capture the order never got to
   * record is refunded too.
   */
  release(part: OrderPayment): Promise<'refunded' | 'cancelled'>;
}

/** The provider refused: more than is left to capture, cancel or refund. */
export class PaymentRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentRejected';
  }
}
