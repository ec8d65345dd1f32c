import Stripe from 'stripe';
import {
  type CheckoutPayment,
  type Dispute,
  type PaymentReference,
  PaymentRejected,
  type PaymentState,
  type PaymentStatus,
  type Payments,
  type Refund,
} from './port.ts';
import { moneyCallOptions } from './stripe-client.ts';

const statuses: Readonly<Record<string, PaymentStatus>> = {
  requires_payment_method: 'requires-payment-method',
  requires_confirmation: 'requires-payment-method',
  requires_action: 'requires-action',
  processing: 'processing',
  requires_capture: 'authorised',
  succeeded: 'captured',
  canceled: 'cancelled',
};

/** The PaymentIntent's latest charge, expanded, says until when its authorisation can be captured. */
function captureBeforeOf(intent: Stripe.PaymentIntent): string | undefined {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : undefined;
  const captureBefore = charge?.payment_method_details?.card?.capture_before;
  return captureBefore ? new Date(captureBefore * 1000).toISOString() : undefined;
}

export function paymentStateOf(intent: Stripe.PaymentIntent): PaymentState {
  const status = statuses[intent.status];
  if (!status)
    throw new Error(`PaymentIntent ${intent.id} has a status this code does not know: ${intent.status}`);
  const captureBefore = captureBeforeOf(intent);
  return {
    paymentId: intent.id,
    ...(intent.metadata?.checkoutId ? { checkoutId: intent.metadata.checkoutId } : {}),
    status,
    ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}),
    ...(intent.last_payment_error?.message ? { failure: intent.last_payment_error.message } : {}),
    ...(captureBefore ? { captureBefore } : {}),
  };
}

/**
 * What a closed dispute means for the funds: lost takes them; won, and an inquiry closed without a
 * chargeback (`warning_closed`) or one prevented, give them back. Anything else is still open.
 */
const disputeOutcomes: Readonly<Record<string, 'won' | 'lost'>> = {
  won: 'won',
  warning_closed: 'won',
  prevented: 'won',
  lost: 'lost',
};

const refundFailed = (refund: Stripe.Refund) => refund.status === 'failed' || refund.status === 'canceled';

/** Stripe refused the call for the state of the object, not for a fault on either side. */
const refusal = (error: unknown): error is Stripe.errors.StripeError =>
  error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError;

/**
 * The payments port on Stripe: one PaymentIntent per checkout with manual capture and the checkout
 * as its transfer group (separate charges and transfers). Idempotency keys come from domain ids:
 * `checkout:<id>`, `capture:<id>`, `cancel:<id>`, `refund:<key>`. Stripe may forget a key after
 * 24 hours, so a capture or cancellation Stripe refuses is checked against the PaymentIntent: one
 * already in the asked-for state counts as done, one that can no longer get there is refused
 * (`PaymentRejected`), and anything else (a request with the same key still running) is an error
 * to retry. A refund is looked up by its key among the PaymentIntent's refunds before it is made.
 */
export class StripePayments implements Payments {
  constructor(private readonly stripe: Stripe) {}

  async authorise({ checkoutId, buyerId, amount, currency, paymentMethod }: CheckoutPayment) {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount,
          currency: currency.toLowerCase(),
          capture_method: 'manual',
          // Cards and other methods that need no redirect: the API confirms without a return URL.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          transfer_group: checkoutId,
          metadata: { checkoutId, buyerId },
          expand: ['latest_charge'],
          ...(paymentMethod ? { payment_method: paymentMethod, confirm: true } : {}),
        },
        moneyCallOptions(`checkout:${checkoutId}`),
      );
      return paymentStateOf(intent);
    } catch (error) {
      // A declined card: the PaymentIntent exists and waits for another payment method.
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) {
        return paymentStateOf(error.payment_intent);
      }
      throw error;
    }
  }

  async retrieve(paymentId: string): Promise<PaymentState> {
    return paymentStateOf(
      await this.stripe.paymentIntents.retrieve(paymentId, { expand: ['latest_charge'] }),
    );
  }

  async capture({ checkoutId, paymentId }: PaymentReference, amount: number): Promise<void> {
    try {
      await this.stripe.paymentIntents.capture(
        paymentId,
        { amount_to_capture: amount },
        moneyCallOptions(`capture:${checkoutId}`),
      );
    } catch (error) {
      if (!refusal(error) && !(error instanceof Stripe.errors.StripeIdempotencyError)) throw error;
      const intent = await this.stripe.paymentIntents.retrieve(paymentId);
      if (intent.status === 'succeeded' && intent.amount_received === amount) return;
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw new PaymentRejected(`Stripe refused to capture ${amount} of ${paymentId}: ${error.message}`);
      }
      // Still capturable: another request with the key in flight, or a passing refusal. Try again.
      throw error;
    }
  }

  async cancel({ checkoutId, paymentId }: PaymentReference): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(paymentId, {}, moneyCallOptions(`cancel:${checkoutId}`));
    } catch (error) {
      if (!refusal(error)) throw error;
      const intent = await this.stripe.paymentIntents.retrieve(paymentId);
      if (intent.status === 'canceled') return;
      if (intent.status === 'succeeded') {
        throw new PaymentRejected(`Stripe refused to cancel ${paymentId}: ${error.message}`);
      }
      throw error;
    }
  }

  async refund({ checkoutId, paymentId, refundKey, amount }: Refund): Promise<void> {
    const made = await this.stripe.refunds.list({ payment_intent: paymentId, limit: 100 });
    const earlier = made.data.find((refund) => refund.metadata?.refundKey === refundKey);
    if (earlier && refundFailed(earlier)) {
      throw new PaymentRejected(
        `Stripe's refund ${earlier.id} of ${paymentId} failed: ${earlier.failure_reason}`,
      );
    }
    if (earlier) return;
    try {
      await this.stripe.refunds.create(
        { payment_intent: paymentId, amount, metadata: { checkoutId, refundKey } },
        moneyCallOptions(`refund:${refundKey}`),
      );
    } catch (error) {
      if (!refusal(error)) throw error;
      throw new PaymentRejected(`Stripe refused to refund ${amount} of ${paymentId}: ${error.message}`);
    }
  }

  async refundMade(providerRefundId: string) {
    const refund = await this.stripe.refunds.retrieve(providerRefundId);
    const refundKey = refund.metadata?.refundKey;
    return { amount: refund.amount, failed: refundFailed(refund), ...(refundKey ? { refundKey } : {}) };
  }

  async retrieveDispute(disputeId: string): Promise<Dispute> {
    const dispute = await this.stripe.disputes.retrieve(disputeId);
    const paymentId =
      typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
    if (!paymentId) throw new Error(`dispute ${disputeId} names no PaymentIntent`);
    return {
      disputeId,
      paymentId,
      amount: dispute.amount,
      status: disputeOutcomes[dispute.status] ?? 'open',
    };
  }
}
