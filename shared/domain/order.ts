import type { Caller } from './caller.ts';
import { DomainError } from './errors.ts';
import type { Chargeback, ChargebackStatus, OrderDispute } from './order-disputes.ts';
import { disputeOpenedBy } from './order-disputes.ts';
import { partiesOf } from './order-parties.ts';
import type { ProcessAction, ProcessStep } from './order-process.ts';
import type { OrderRefund } from './order-refunds.ts';
import { type ProcessRef, processOf } from './processes.ts';

export const orderStatuses = ['awaiting-payment', 'in-progress', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const orderPaymentStatuses = [
  'authorising',
  'authorised',
  'captured',
  'cancelled',
  'refunded',
] as const;
export type OrderPaymentStatus = (typeof orderPaymentStatuses)[number];

export interface OrderLine {
  readonly listingId: string;
  readonly title: string;
  readonly quantity: number;
  /** Minor units of the order's currency, as the listing priced it at checkout. */
  readonly unitPrice: number;
  readonly amount: number;
  readonly commission: number;
  /** What the buyer supplied for the process's order fields, e.g. a scan file URL. */
  readonly data: Readonly<Record<string, string>>;
}

/** Who receives what the seller side earns: the seller, and providers by their shares. */
export interface Payee {
  readonly party: string;
  readonly userId: string;
  readonly amount: number;
}

/**
 * What the order-fulfillment state machine does next. Every wait, action and timeout resolves to
 * one; the state machine only follows it, so any process runs on the same definition.
 */
export interface Transition {
  readonly next: 'await-payment' | 'await-step' | 'complete' | 'cancel';
  /** Capture the payment before going on. */
  readonly capture: boolean;
  readonly stepIndex?: number;
  /** How long the wait lasts (await-payment, await-step). */
  readonly timeoutSeconds?: number;
  /** How long the order may wait for its checkout's capture: until the authorisation's capture deadline. */
  readonly captureTimeoutSeconds?: number;
  /** A dispute step's response time per party (await-step), from which its wait sets their deadlines. */
  readonly responseSeconds?: Readonly<Record<string, number>>;
}

export interface Order {
  readonly id: string;
  readonly checkoutId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  /** Party name -> user id: buyer, seller and the process's providers. */
  readonly parties: Readonly<Record<string, string>>;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly total: number;
  readonly commission: number;
  readonly payees: readonly Payee[];
  /** The process version the order was placed with: later versions never change this order. */
  readonly process: ProcessRef;
  /** How long it waits for the payment after checkout before it is cancelled and its stock released. */
  readonly paymentWindowSeconds: number;
  readonly status: OrderStatus;
  readonly paymentStatus: OrderPaymentStatus;
  readonly stepIndex?: number;
  /** When the current wait times out. */
  readonly deadline?: string;
  /** Present while the workflow waits for the payment or for the current step's party. */
  readonly taskToken?: string;
  /** A transition decided but not yet taken up by the workflow. */
  readonly pending?: Transition;
  /** When the checkout's payment must be captured at the latest; set once it is authorised. */
  readonly captureBy?: string;
  /** Present while the order waits for its checkout's capture: where it goes once captured. */
  readonly captureThen?: Transition;
  /**
   * Refunds, oldest first, each recorded before the provider is asked. A list, not a map by id:
   * ids are the callers' Idempotency-Keys, and `__proto__` must be an id like any other.
   */
  readonly refunds?: readonly OrderRefund[];
  /** The buyer's card network took back the checkout's payment (a Stripe dispute). */
  readonly chargeback?: Chargeback;
  readonly dispute?: OrderDispute;
  readonly cancelReason?: string;
  readonly version: number;
  readonly eventCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type { ChargebackStatus } from './order-disputes.ts';

export interface Actor {
  readonly party: string;
  /** Absent for the workflow's own events (timeouts, capture, completion). */
  readonly userId?: string;
}

export interface OrderEvent {
  readonly seq: number;
  readonly at: string;
  readonly by: Actor;
  readonly type:
    | 'placed'
    | 'payment-authorised'
    | 'action'
    | 'timed-out'
    | 'payment-captured'
    | 'payment-failed'
    | `chargeback-${ChargebackStatus}`
    | 'refunded'
    | 'completed'
    | 'cancelled';
  readonly step?: string;
  readonly action?: string;
  readonly data?: Readonly<Record<string, string>>;
}

export const workflowActor: Actor = { party: 'workflow' };
export const paymentsActor: Actor = { party: 'payments' };

export const orderNotFound = (orderId: string) =>
  new DomainError('not-found', 'order_not_found', `Order ${orderId} does not exist.`);

export function currentStep(order: Order): ProcessStep | undefined {
  return order.status === 'in-progress' && order.stepIndex !== undefined
    ? processOf(order.process).steps[order.stepIndex]
    : undefined;
}

/** The actions the caller may take on the order now: none until the workflow waits for them. */
export function availableActions(order: Order, caller: Caller): readonly ProcessAction[] {
  const step = currentStep(order);
  const waiting =
    order.taskToken !== undefined && order.pending === undefined && order.captureThen === undefined;
  return step && waiting && partiesOf(order, caller).includes(step.party) ? step.actions : [];
}

export const initialTransition = (order: Order): Transition => ({
  next: 'await-payment',
  capture: false,
  timeoutSeconds: order.paymentWindowSeconds,
});

function awaitStep(order: Order, stepIndex: number, capture: boolean): Transition {
  const step = processOf(order.process).steps[stepIndex];
  if (!step) return { next: 'complete', capture };
  const wait: Transition = { next: 'await-step', capture, stepIndex, timeoutSeconds: step.timeoutSeconds };
  return step.responseSeconds ? { ...wait, responseSeconds: step.responseSeconds } : wait;
}

/** Leaving the capture step forwards (or completing from before it) takes the money. */
function capturesPayment(order: Order, fromIndex: number, toIndex: number): boolean {
  const { steps, captureAfter } = processOf(order.process);
  const captureIndex = steps.findIndex((step) => step.name === captureAfter);
  return order.paymentStatus === 'authorised' && fromIndex <= captureIndex && toIndex > captureIndex;
}

function leaveStep(order: Order, fromIndex: number, outcome: ProcessAction['outcome']): Transition {
  const { steps } = processOf(order.process);
  if (outcome === 'cancel-order') return { next: 'cancel', capture: false };
  if (outcome === 'complete-order')
    return { next: 'complete', capture: capturesPayment(order, fromIndex, steps.length) };
  const toIndex =
    outcome === 'next-step' ? fromIndex + 1 : steps.findIndex((step) => step.name === outcome.goTo);
  return awaitStep(order, toIndex, capturesPayment(order, fromIndex, toIndex));
}

export const afterPaymentAuthorised = (order: Order): Transition => awaitStep(order, 0, false);

/** What the current wait's timeout does: an unpaid order is cancelled, a step does as it says. */
export function afterTimeout(order: Order): Transition {
  const step = currentStep(order);
  if (!step || order.stepIndex === undefined) return { next: 'cancel', capture: false };
  return leaveStep(order, order.stepIndex, step.onTimeout);
}

/**
 * The action named `actionName`, if the caller may take it now. Wrong party: 403; an action of
 * this process that is not available now (or no such action): 409. Neither changes anything.
 */
export function chooseAction(order: Order, caller: Caller, actionName: string): ProcessAction {
  const parties = partiesOf(order, caller);
  const stepsWithAction = processOf(order.process).steps.filter((step) =>
    step.actions.some((action) => action.name === actionName),
  );
  if (stepsWithAction.length > 0 && !stepsWithAction.some((step) => parties.includes(step.party))) {
    throw new DomainError(
      'forbidden',
      'not_your_action',
      `Only the ${stepsWithAction.map((step) => step.party).join(' or ')} may ${actionName} this order.`,
    );
  }
  const action = availableActions(order, caller).find((candidate) => candidate.name === actionName);
  if (!action) {
    const now = availableActions(order, caller).map((candidate) => candidate.name);
    throw new DomainError(
      'conflict',
      'action_not_available',
      `${actionName} is not possible now: the order is ${describeState(order)}${
        now.length > 0 ? `; you may ${now.join(', ')}` : ''
      }.`,
    );
  }
  return action;
}

export function transitionAfterAction(order: Order, action: ProcessAction): Transition {
  if (order.stepIndex === undefined) throw new Error(`order ${order.id} is at no step`);
  return leaveStep(order, order.stepIndex, action.outcome);
}

export function describeState(order: Order): string {
  if (order.captureThen) return 'waiting for its payment to be captured';
  const step = currentStep(order);
  return step ? `at step ${step.name}, waiting for the ${step.party}` : order.status;
}

/**
 * Where the workflow stands according to the stored order: to restart it (local runs), or to put
 * an execution that asks about a wait the order has left back in step with the order.
 */
export function resumeTransition(order: Order, now = new Date()): Transition {
  if (order.status === 'completed') return { next: 'complete', capture: false };
  if (order.status === 'cancelled') return { next: 'cancel', capture: false };
  if (order.pending) return capturedAlready(order, order.pending);
  if (order.captureThen) return withCaptureTimeout(order, { ...order.captureThen, capture: true }, now);
  if (order.status === 'awaiting-payment') return initialTransition(order);
  return awaitStep(order, order.stepIndex ?? 0, false);
}

/** A decision to capture goes on without capturing once the checkout's capture took the order. */
function capturedAlready(order: Order, transition: Transition): Transition {
  if (!transition.capture || order.paymentStatus !== 'captured') return transition;
  const { captureTimeoutSeconds: _timeout, ...then } = transition;
  return { ...then, capture: false };
}

/** An order as a transition leaves it, and the event that records why. */
export interface OrderChange {
  readonly order: Order;
  readonly event?: Omit<OrderEvent, 'seq'>;
}

type OrderState = Omit<Order, 'taskToken' | 'deadline' | 'pending' | 'captureThen'>;

/** The order without its wait: the token is spent and the deadline no longer applies. */
function withoutWait(order: Order): OrderState {
  const { taskToken: _token, deadline: _deadline, pending: _pending, captureThen: _then, ...state } = order;
  return state;
}

/** A transition that captures first waits for the capture until the checkout's capture deadline. */
function withCaptureTimeout(order: Order, transition: Transition, now: Date): Transition {
  if (!transition.capture) return transition;
  if (!order.captureBy) throw new Error(`order ${order.id} would capture a payment never authorised`);
  const secondsLeft = Math.ceil((Date.parse(order.captureBy) - now.getTime()) / 1000);
  return { ...transition, captureTimeoutSeconds: Math.max(1, secondsLeft) };
}

/** Decided by the workflow unless `by` says who acted; entering a dispute step opens a dispute. */
function decide(
  order: Order,
  transition: Transition,
  cancelReason: string,
  now: Date,
  by: Actor = workflowActor,
  data: Readonly<Record<string, string>> = {},
): Order {
  return {
    ...withoutWait(order),
    pending: withCaptureTimeout(order, transition, now),
    ...(transition.next === 'await-step' ? { stepIndex: transition.stepIndex } : {}),
    ...(transition.next === 'cancel' ? { cancelReason } : {}),
    ...disputeOpenedBy(order, transition, by, now, data),
  };
}

export function recordPaymentAuthorised(order: Order, captureBy: string, now: Date): OrderChange {
  const transition = afterPaymentAuthorised(order);
  return {
    order: {
      ...decide(order, transition, '', now),
      status: 'in-progress',
      paymentStatus: 'authorised',
      captureBy,
    },
    event: { at: now.toISOString(), by: paymentsActor, type: 'payment-authorised' },
  };
}

export function recordAction(
  order: Order,
  actor: Actor,
  action: ProcessAction,
  data: Readonly<Record<string, string>>,
  now: Date,
): OrderChange {
  const step = currentStep(order);
  const reason = `${action.name} by the ${actor.party}`;
  return {
    order: decide(order, transitionAfterAction(order, action), reason, now, actor, data),
    event: { at: now.toISOString(), by: actor, type: 'action', step: step?.name, action: action.name, data },
  };
}

export function recordTimeout(order: Order, now: Date): OrderChange {
  const stepName = currentStep(order)?.name ?? 'payment';
  return {
    order: decide(order, afterTimeout(order), `no action at step ${stepName} before the deadline`, now),
    event: { at: now.toISOString(), by: workflowActor, type: 'timed-out', step: stepName },
  };
}

/** The order waits for its checkout's payment to be captured, then goes on as `transition` says. */
export function beginCaptureWait(order: Order, taskToken: string, transition: Transition): OrderChange {
  const { captureTimeoutSeconds: _timeout, ...then } = transition;
  return {
    order: {
      ...withoutWait(order),
      taskToken,
      ...(order.captureBy ? { deadline: order.captureBy } : {}),
      captureThen: { ...then, capture: false },
    },
  };
}

/**
 * The checkout's capture took the order's part. An order waiting for it goes on where it waited
 * to; one not waiting yet finds it captured when its wait begins.
 */
export function recordCapture(order: Order, now: Date): OrderChange {
  const captured = order.captureThen ? { ...withoutWait(order), pending: order.captureThen } : order;
  return {
    order: { ...captured, paymentStatus: 'captured' },
    event: { at: now.toISOString(), by: workflowActor, type: 'payment-captured' },
  };
}

/**
 * The order cannot be captured: the capture was refused, or the authorisation's capture deadline
 * came while the order was still undecided. It is cancelled; its part of the authorisation lapses.
 */
export function recordPaymentFailure(order: Order, reason: string, now: Date): OrderChange {
  return {
    order: decide(order, { next: 'cancel', capture: false }, reason, now),
    event: { at: now.toISOString(), by: paymentsActor, type: 'payment-failed', data: { reason } },
  };
}

export function recordCompletion(order: Order, now: Date): OrderChange {
  return {
    order: { ...withoutWait(order), status: 'completed' },
    event: { at: now.toISOString(), by: workflowActor, type: 'completed' },
  };
}

/** A chargeback on the checkout's payment opened, or was decided, for this order's part. */
export function recordChargeback(
  order: Order,
  disputeId: string,
  status: ChargebackStatus,
  now: Date,
): OrderChange {
  const at = now.toISOString();
  return {
    order: { ...order, chargeback: { disputeId, status, openedAt: order.chargeback?.openedAt ?? at } },
    event: { at: now.toISOString(), by: paymentsActor, type: `chargeback-${status}`, data: { disputeId } },
  };
}

/** Cancelled: stock goes back, and the payment was refunded or its authorisation cancelled. */
export function recordCancellation(
  order: Order,
  reason: string,
  payment: 'refunded' | 'cancelled',
  now: Date,
): OrderChange {
  const cancelReason = order.cancelReason ?? reason;
  return {
    order: { ...withoutWait(order), status: 'cancelled', cancelReason, paymentStatus: payment },
    event: { at: now.toISOString(), by: workflowActor, type: 'cancelled', data: { reason: cancelReason } },
  };
}
