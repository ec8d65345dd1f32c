import { maxChargeAmount } from '#shared/payments/charge-limits.ts';
import { platform } from '../balances.ts';
import type { OperationContext } from '../context.ts';
import { invalidParameter, invalidRequest, StripeApiError, unexpectedState } from '../errors.ts';
import type { FormHash } from '../form.ts';
import { newId, randomToken } from '../ids.ts';
import { type SimCharge, type SimPaymentIntent, update } from '../objects.ts';
import { formList, Params } from '../params.ts';
import { found } from '../state.ts';
import { authorisationCharge } from './charges.ts';

/** Stripe's test payment methods whose behaviour the simulator reproduces. */
export const testPaymentMethods = {
  authenticationRequired: 'pm_card_authenticationRequired',
  declined: 'pm_card_chargeDeclined',
} as const;

type Status = SimPaymentIntent['status'];
type CancellationReason = NonNullable<SimPaymentIntent['cancellation_reason']>;

const confirmable: readonly Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];
const cancelable: readonly Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

export const retrievePaymentIntent = (context: OperationContext, id: string): SimPaymentIntent =>
  found(context.state.paymentIntents, id, 'payment_intent', 'intent');

function paymentMethod(params: Params): string | undefined {
  const id = params.string('payment_method');
  if (id !== undefined && !id.startsWith('pm_')) {
    throw invalidParameter(`No such PaymentMethod: '${id}'`, 'payment_method', 'resource_missing');
  }
  return id;
}

export function createPaymentIntent(context: OperationContext, form: FormHash): SimPaymentIntent {
  const params = new Params(form, [
    'amount',
    'currency',
    'capture_method',
    'confirm',
    'payment_method',
    'payment_method_types',
    'automatic_payment_methods',
    'transfer_group',
    'metadata',
    'description',
    'return_url',
  ]);
  const paymentMethodTypes = formList(form.payment_method_types, 'payment_method_types');
  if (paymentMethodTypes.some((type) => type !== 'card')) {
    throw invalidParameter('The simulator supports card payments only.', 'payment_method_types');
  }
  const amount = params.requiredInteger('amount', 1);
  if (amount > maxChargeAmount) {
    throw invalidParameter(
      `Amount must be no more than ${maxChargeAmount} minor units.`,
      'amount',
      'amount_too_large',
    );
  }
  const method = paymentMethod(params);
  const id = newId('pi');
  const intent: SimPaymentIntent = {
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method:
      params.oneOf('capture_method', ['automatic', 'automatic_async', 'manual']) ?? 'automatic_async',
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: 'automatic',
    created: context.clock.now(),
    currency: params.requiredCurrency(),
    description: params.string('description') ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: params.metadata(),
    next_action: null,
    payment_method: method ?? null,
    payment_method_types: ['card'],
    status: method ? 'requires_confirmation' : 'requires_payment_method',
    transfer_group: params.string('transfer_group') ?? null,
  };
  const confirm = params.boolean('confirm') ?? false;
  context.state.paymentIntents.set(id, intent);
  context.emit('payment_intent.created', intent);
  if (confirm) confirmIntent(context, intent, method);
  return intent;
}

export function confirmPaymentIntent(
  context: OperationContext,
  id: string,
  form: FormHash,
): SimPaymentIntent {
  const params = new Params(form, ['payment_method', 'return_url']);
  const method = paymentMethod(params);
  const intent = retrievePaymentIntent(context, id);
  confirmIntent(context, intent, method);
  return intent;
}

function confirmIntent(
  context: OperationContext,
  intent: SimPaymentIntent,
  method: string | undefined,
): void {
  if (!confirmable.includes(intent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be confirmed: ${confirmable.join(', ')}.`,
    );
  }
  if (method) intent.payment_method = method;
  if (!intent.payment_method) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. " +
        'Update the PaymentIntent with a payment method and then confirm it again.',
    );
  }
  if (intent.payment_method === testPaymentMethods.declined) decline(context, intent);
  if (
    context.state.authenticationRequired ||
    intent.payment_method === testPaymentMethods.authenticationRequired
  ) {
    intent.status = 'requires_action';
    intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: {} };
    context.emit('payment_intent.requires_action', intent);
    return;
  }
  authorise(context, intent);
}

/** The card issuer said no: Stripe answers 402 and the buyer must try another payment method. */
function decline(context: OperationContext, intent: SimPaymentIntent): never {
  const error = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  } as const;
  intent.status = 'requires_payment_method';
  intent.payment_method = null;
  intent.last_payment_error = error;
  context.emit('payment_intent.payment_failed', intent);
  throw new StripeApiError(402, { ...error, payment_intent: structuredClone(intent) });
}

function authorise(context: OperationContext, intent: SimPaymentIntent): void {
  const charge = authorisationCharge(context, intent);
  update(intent, {
    status: 'requires_capture',
    amount_capturable: intent.amount,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: null,
  });
  context.emit('charge.succeeded', charge);
  if (intent.capture_method === 'manual') context.emit('payment_intent.amount_capturable_updated', intent);
  else capture(context, intent, charge, intent.amount);
}

/** The buyer passed (or failed) the 3D Secure challenge a `requires_action` PaymentIntent asked for. */
export function completeAuthentication(
  context: OperationContext,
  id: string,
  outcome: 'succeeded' | 'failed' = 'succeeded',
): SimPaymentIntent {
  const intent = retrievePaymentIntent(context, id);
  if (intent.status !== 'requires_action') {
    throw unexpectedState(`PaymentIntent ${id} has a status of ${intent.status}, not requires_action.`);
  }
  if (outcome === 'succeeded') {
    authorise(context, intent);
    return intent;
  }
  update(intent, {
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a ' +
        'new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    },
  });
  context.emit('payment_intent.payment_failed', intent);
  return intent;
}

function latestCharge(context: OperationContext, intent: SimPaymentIntent): SimCharge {
  return found(context.state.charges, String(intent.latest_charge), 'charge', 'latest_charge');
}

export function capturePaymentIntent(
  context: OperationContext,
  id: string,
  form: FormHash,
): SimPaymentIntent {
  const params = new Params(form, ['amount_to_capture', 'metadata']);
  const intent = retrievePaymentIntent(context, id);
  if (intent.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. ` +
        'Only a PaymentIntent with one of the following statuses may be captured: requires_capture.',
    );
  }
  const amount = params.integer('amount_to_capture', 1) ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`,
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  intent.metadata = { ...intent.metadata, ...params.metadata() };
  capture(context, intent, latestCharge(context, intent), amount);
  return intent;
}

/** Takes `amount` of the authorisation and releases the rest, as a partial capture does. */
function capture(
  context: OperationContext,
  intent: SimPaymentIntent,
  charge: SimCharge,
  amount: number,
): void {
  update(charge, { captured: true, amount_captured: amount });
  update(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
  context.state.balances.add(platform, intent.currency, amount);
  context.emit('charge.captured', charge);
  context.emit('payment_intent.succeeded', intent);
}

export function cancelPaymentIntent(context: OperationContext, id: string, form: FormHash): SimPaymentIntent {
  const params = new Params(form, ['cancellation_reason']);
  const reason = params.oneOf('cancellation_reason', [
    'abandoned',
    'duplicate',
    'fraudulent',
    'requested_by_customer',
  ]);
  const intent = retrievePaymentIntent(context, id);
  if (!cancelable.includes(intent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`,
    );
  }
  release(context, intent, reason ?? null);
  context.emit('payment_intent.canceled', intent);
  return intent;
}

/** Ends a PaymentIntent without capture; an authorisation it held goes back to the buyer. */
function release(
  context: OperationContext,
  intent: SimPaymentIntent,
  reason: CancellationReason | null,
): void {
  if (intent.status === 'requires_capture') {
    update(latestCharge(context, intent), { refunded: true, amount_refunded: intent.amount });
  }
  update(intent, {
    status: 'canceled',
    canceled_at: context.clock.now(),
    cancellation_reason: reason,
    amount_capturable: 0,
    next_action: null,
  });
}

/** Cancels, as Stripe does, every authorisation left uncaptured past its `capture_before`. */
export function expireAuthorisations(context: OperationContext): void {
  for (const intent of context.state.paymentIntents.values()) {
    if (intent.status !== 'requires_capture') continue;
    const charge = latestCharge(context, intent);
    const captureBefore = charge.payment_method_details.card.capture_before;
    if (captureBefore === undefined || context.clock.now() < captureBefore) continue;
    release(context, intent, 'automatic');
    context.emit('charge.expired', charge);
    context.emit('payment_intent.canceled', intent);
  }
}
