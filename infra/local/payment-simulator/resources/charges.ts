import { secondsPerDay } from '../clock.ts';
import type { OperationContext } from '../context.ts';
import { invalidRequest } from '../errors.ts';
import { newId } from '../ids.ts';
import type { SimCharge, SimPaymentIntent } from '../objects.ts';
import { found } from '../state.ts';

/** Card authorisations lapse after seven days unless captured. */
const authorisationLifetimeSeconds = 7 * secondsPerDay;

/** The charge behind an authorised PaymentIntent. */
export function authorisationCharge(context: OperationContext, intent: SimPaymentIntent): SimCharge {
  const charge: SimCharge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: 0,
    amount_refunded: 0,
    balance_transaction: null,
    captured: false,
    created: context.clock.now(),
    currency: intent.currency,
    description: intent.description,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: true,
    payment_intent: intent.id,
    payment_method: typeof intent.payment_method === 'string' ? intent.payment_method : null,
    payment_method_details: {
      type: 'card',
      card:
        intent.capture_method === 'manual'
          ? { capture_before: context.clock.now() + authorisationLifetimeSeconds }
          : {},
    },
    refunded: false,
    status: 'succeeded',
    transfer_group: intent.transfer_group,
  };
  context.state.charges.set(charge.id, charge);
  return charge;
}

export const retrieveCharge = (context: OperationContext, id: string): SimCharge =>
  found(context.state.charges, id, 'charge', 'charge');

/** The charge a `ch_…` id names, or the latest charge of a `pi_…` id. */
export function chargeOf(context: OperationContext, id: string, param: string): SimCharge {
  if (!id.startsWith('pi_')) return found(context.state.charges, id, 'charge', param);
  const intent = found(context.state.paymentIntents, id, 'payment_intent', param);
  const chargeId = typeof intent.latest_charge === 'string' ? intent.latest_charge : undefined;
  if (chargeId === undefined) {
    throw invalidRequest(`PaymentIntent ${id} has no charge yet; its status is ${intent.status}.`, {
      code: 'payment_intent_unexpected_state',
      param,
    });
  }
  return found(context.state.charges, chargeId, 'charge', param);
}

/** What can still be refunded or disputed: captured and not yet refunded. */
export const unrefunded = (charge: SimCharge): number => charge.amount_captured - charge.amount_refunded;
