import { platform } from '../balances.ts';
import type { OperationContext } from '../context.ts';
import { invalidParameter, invalidRequest } from '../errors.ts';
import type { FormHash } from '../form.ts';
import { newId } from '../ids.ts';
import { listOf } from '../lists.ts';
import type { SimCharge, SimList, SimRefund } from '../objects.ts';
import { Params } from '../params.ts';
import { found } from '../state.ts';
import { chargeOf, unrefunded } from './charges.ts';
import { openDisputeOn } from './disputes.ts';

export const retrieveRefund = (context: OperationContext, id: string): SimRefund =>
  found(context.state.refunds, id, 'refund', 'refund');

/** The refunds of one PaymentIntent's charge, newest first, as `GET /v1/refunds?payment_intent=`. */
export function listRefunds(context: OperationContext, form: FormHash): SimList<SimRefund> {
  const params = new Params(form, ['payment_intent', 'limit']);
  const intentId = params.string('payment_intent');
  if (!intentId) {
    throw invalidParameter('The simulator lists refunds by payment_intent only.', 'payment_intent');
  }
  const charge = chargeOf(context, intentId, 'payment_intent');
  return listOf(
    [...context.state.refunds.values()].filter((refund) => refund.charge === charge.id),
    params,
    '/v1/refunds',
  );
}

function refundableCharge(context: OperationContext, params: Params): SimCharge {
  const chargeId = params.string('charge');
  const intentId = params.string('payment_intent');
  if (chargeId && intentId) {
    throw invalidParameter(
      'Pass either charge or payment_intent, not both.',
      'charge',
      'parameters_exclusive',
    );
  }
  if (!chargeId && !intentId) {
    throw invalidParameter('One of charge or payment_intent is required.', 'charge', 'parameter_missing');
  }
  const charge = chargeId
    ? chargeOf(context, chargeId, 'charge')
    : chargeOf(context, intentId ?? '', 'payment_intent');
  if (!charge.captured) {
    throw invalidRequest(
      `Charge ${charge.id} has not been captured: cancel its PaymentIntent to release the authorisation.`,
      { code: 'charge_not_refundable' },
    );
  }
  if (openDisputeOn(context, charge.id)) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; it cannot be refunded.`, {
      code: 'charge_disputed',
    });
  }
  return charge;
}

/** Refunds part or all of what was captured and not yet refunded; never more. */
export function createRefund(context: OperationContext, form: FormHash): SimRefund {
  const params = new Params(form, ['charge', 'payment_intent', 'amount', 'reason', 'metadata']);
  const charge = refundableCharge(context, params);
  const remaining = unrefunded(charge);
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = params.integer('amount', 1) ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const refund: SimRefund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: context.clock.now(),
    currency: charge.currency,
    metadata: params.metadata(),
    payment_intent: charge.payment_intent,
    reason: params.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer']) ?? null,
    status: 'succeeded',
  };
  context.state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  context.state.balances.add(platform, charge.currency, -amount);
  context.emit('refund.created', refund);
  context.emit('charge.refunded', charge);
  return refund;
}
