import { describe, expect, it } from 'vitest';
import type { Caller } from '#shared/domain/caller.ts';
import { DomainError } from '#shared/domain/errors.ts';
import {
  afterPaymentAuthorised,
  afterTimeout,
  availableActions,
  beginCaptureWait,
  chooseAction,
  describeState,
  initialTransition,
  type Order,
  recordAction,
  recordCancellation,
  recordCapture,
  recordCompletion,
  recordPaymentAuthorised,
  recordPaymentFailure,
  recordTimeout,
  resumeTransition,
  type Transition,
  transitionAfterAction,
} from '#shared/domain/order.ts';
import { canView, participantsOf, partiesOf } from '#shared/domain/order-parties.ts';
import type { ProcessAction, ProcessDefinition } from '#shared/domain/order-process.ts';
import { orderSummary, summaryChanged } from '#shared/domain/order-summary.ts';
import { workflowSignalFor } from '#shared/domain/order-workflow-signal.ts';
import { customManufacturing, defaultPurchase, processRefOf } from '#shared/domain/processes.ts';

const users = {
  buyer: 'user-buyer',
  seller: 'user-seller',
  designer: 'user-designer',
  manufacturer: 'user-manufacturer',
  stranger: 'user-stranger',
  admin: 'user-admin',
} as const;

const caller = (who: keyof typeof users): Caller => ({
  userId: users[who],
  roles: who === 'admin' ? ['admin'] : [],
});

const createdAt = '2030-01-01T00:00:00.000Z';
const now = new Date('2030-01-02T00:00:00.000Z');
const day = 24 * 60 * 60;
/** Six days after the authorisation at `now`: the checkout's capture deadline. */
const captureBy = '2030-01-08T00:00:00.000Z';

/** A freshly placed order of `process`, paid for nothing yet; `overrides` move it along. */
function orderOf(process: ProcessDefinition, overrides: Partial<Order> = {}): Order {
  const providers = Object.fromEntries(
    process.providers.map((party) => [party, users[party as keyof typeof users] ?? `user-${party}`]),
  );
  return {
    id: 'order-1',
    checkoutId: 'checkout-1',
    buyerId: users.buyer,
    sellerId: users.seller,
    parties: { buyer: users.buyer, seller: users.seller, ...providers },
    currency: 'EUR',
    lines: [
      {
        listingId: 'listing-1',
        title: 'Brass desk lamp',
        quantity: 2,
        unitPrice: 5000,
        amount: 10000,
        commission: 1000,
        data: {},
      },
      {
        listingId: 'listing-2',
        title: 'Shade',
        quantity: 1,
        unitPrice: 1000,
        amount: 1000,
        commission: 100,
        data: {},
      },
    ],
    total: 11000,
    commission: 1100,
    payees: [{ party: 'seller', userId: users.seller, amount: 9900 }],
    process: processRefOf(process),
    paymentWindowSeconds: 900,
    status: 'awaiting-payment',
    paymentStatus: 'authorising',
    version: 1,
    eventCount: 1,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** The order while the workflow waits for the party of step `stepIndex`. */
const waitingAt = (process: ProcessDefinition, stepIndex: number, overrides: Partial<Order> = {}) =>
  orderOf(process, {
    status: 'in-progress',
    paymentStatus: 'authorised',
    captureBy,
    stepIndex,
    taskToken: `token-${stepIndex}`,
    deadline: '2030-01-05T00:00:00.000Z',
    ...overrides,
  });

function actionOf(process: ProcessDefinition, stepName: string, actionName: string): ProcessAction {
  const action = process.steps.find((s) => s.name === stepName)?.actions.find((a) => a.name === actionName);
  if (!action) throw new Error(`no action ${actionName} at ${stepName} in ${process.id}`);
  return action;
}

/** The transition `party` taking `actionName` leads to, through chooseAction as the API does. */
function transitionOf(order: Order, who: keyof typeof users, actionName: string): Transition {
  return transitionAfterAction(order, chooseAction(order, caller(who), actionName));
}

/** What chooseAction threw, as kind and code. */
function refusal(order: Order, who: keyof typeof users, actionName: string) {
  try {
    chooseAction(order, caller(who), actionName);
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code, message: error.message };
    throw error;
  }
  return 'allowed';
}

const actionNames = (order: Order, who: keyof typeof users) =>
  availableActions(order, caller(who)).map((action) => action.name);

describe('parties', () => {
  it('names the caller’s parties, admins being the admin party of every order', () => {
    const order = orderOf(customManufacturing);
    expect(partiesOf(order, caller('buyer'))).toEqual(['buyer']);
    expect(partiesOf(order, caller('designer'))).toEqual(['designer']);
    expect(partiesOf(order, caller('admin'))).toEqual(['admin']);
    expect(partiesOf(order, { userId: users.seller, roles: ['admin'] })).toEqual(['seller', 'admin']);
    expect(partiesOf(order, caller('stranger'))).toEqual([]);
  });

  it('lets only parties view the order', () => {
    const order = orderOf(defaultPurchase);
    expect(canView(order, caller('seller'))).toBe(true);
    expect(canView(order, caller('admin'))).toBe(true);
    expect(canView(order, caller('stranger'))).toBe(false);
  });

  it('lists each participant once, even in two parties', () => {
    expect(participantsOf(orderOf(customManufacturing))).toEqual([
      users.buyer,
      users.seller,
      users.designer,
      users.manufacturer,
    ]);
    const sellerDesigns = orderOf(customManufacturing, {
      parties: {
        buyer: users.buyer,
        seller: users.seller,
        designer: users.seller,
        manufacturer: users.seller,
      },
    });
    expect(participantsOf(sellerDesigns)).toEqual([users.buyer, users.seller]);
  });
});

describe('availableActions and chooseAction', () => {
  it('offers the current step’s actions to its party only', () => {
    const order = waitingAt(defaultPurchase, 0);
    expect(actionNames(order, 'seller')).toEqual(['accept', 'decline']);
    expect(actionNames(order, 'buyer')).toEqual([]);
    expect(actionNames(order, 'admin')).toEqual([]);
    expect(chooseAction(order, caller('seller'), 'decline')).toBe(
      actionOf(defaultPurchase, 'accept', 'decline'),
    );
  });

  it('refuses another party’s action with 403, naming who may take it', () => {
    expect(refusal(waitingAt(defaultPurchase, 0), 'buyer', 'accept')).toEqual({
      kind: 'forbidden',
      code: 'not_your_action',
      message: 'Only the seller may accept this order.',
    });
    expect(refusal(waitingAt(defaultPurchase, 0), 'stranger', 'accept')).toMatchObject({ kind: 'forbidden' });
    expect(refusal(waitingAt(customManufacturing, 2), 'designer', 'ship')).toMatchObject({
      kind: 'forbidden',
      message: 'Only the manufacturer may ship this order.',
    });
  });

  it('refuses with 403 even when the order is not waiting: wrong party is decided first', () => {
    expect(refusal(orderOf(defaultPurchase), 'buyer', 'accept')).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses the party’s own later action with 409, saying what it may do now', () => {
    expect(refusal(waitingAt(defaultPurchase, 0), 'seller', 'ship')).toEqual({
      kind: 'conflict',
      code: 'action_not_available',
      message:
        'ship is not possible now: the order is at step accept, waiting for the seller; you may accept, decline.',
    });
  });

  it('refuses an action no step has with 409, not 403', () => {
    expect(refusal(waitingAt(defaultPurchase, 0), 'seller', 'teleport')).toMatchObject({
      kind: 'conflict',
      code: 'action_not_available',
    });
    expect(refusal(waitingAt(defaultPurchase, 0), 'stranger', 'teleport')).toMatchObject({
      kind: 'conflict',
    });
  });

  it.each([
    ['has no task token yet', waitingAt(defaultPurchase, 0, { taskToken: undefined })],
    [
      'has a pending transition',
      waitingAt(defaultPurchase, 0, { pending: { next: 'cancel', capture: false } }),
    ],
    ['awaits the payment', orderOf(defaultPurchase, { taskToken: 'token-payment' })],
    ['is completed', waitingAt(defaultPurchase, 2, { status: 'completed' })],
  ])('refuses the right party with 409 while the workflow %s', (_, order) => {
    expect(actionNames(order, 'seller')).toEqual([]);
    expect(refusal(order, 'seller', 'accept')).toMatchObject({
      kind: 'conflict',
      code: 'action_not_available',
    });
  });

  it('gives admins the admin steps, and only those', () => {
    const dispute = waitingAt(defaultPurchase, 3);
    expect(actionNames(dispute, 'admin')).toEqual(['release-to-seller', 'refund-buyer']);
    expect(chooseAction(dispute, caller('admin'), 'refund-buyer').outcome).toBe('cancel-order');
    expect(refusal(dispute, 'seller', 'release-to-seller')).toMatchObject({ kind: 'forbidden' });
    expect(refusal(waitingAt(defaultPurchase, 0), 'admin', 'accept')).toMatchObject({ kind: 'forbidden' });
    expect(refusal(waitingAt(defaultPurchase, 2), 'admin', 'refund-buyer')).toMatchObject({
      kind: 'conflict',
    });
  });

  it('lets providers act at their steps', () => {
    expect(actionNames(waitingAt(customManufacturing, 0), 'designer')).toEqual(['submit-design']);
    expect(actionNames(waitingAt(customManufacturing, 2), 'manufacturer')).toEqual(['ship']);
    expect(actionNames(waitingAt(customManufacturing, 2), 'seller')).toEqual([]);
  });
});

describe('transitions of the default purchase', () => {
  it('starts by awaiting the payment, then the first step', () => {
    expect(initialTransition(orderOf(defaultPurchase))).toEqual({
      next: 'await-payment',
      capture: false,
      timeoutSeconds: 900,
    });
    expect(afterPaymentAuthorised(orderOf(defaultPurchase))).toEqual({
      next: 'await-step',
      capture: false,
      stepIndex: 0,
      timeoutSeconds: 3 * day,
    });
  });

  it('captures when the seller accepts (captureAfter accept)', () => {
    expect(transitionOf(waitingAt(defaultPurchase, 0), 'seller', 'accept')).toEqual({
      next: 'await-step',
      capture: true,
      stepIndex: 1,
      timeoutSeconds: 7 * day,
    });
  });

  it('does not capture again once captured', () => {
    const accepted = waitingAt(defaultPurchase, 0, { paymentStatus: 'captured' });
    expect(transitionOf(accepted, 'seller', 'accept')).toMatchObject({ next: 'await-step', capture: false });
  });

  it('cancels without capture when the seller declines', () => {
    expect(transitionOf(waitingAt(defaultPurchase, 0), 'seller', 'decline')).toEqual({
      next: 'cancel',
      capture: false,
    });
  });

  it('moves on to receipt when the seller ships, without capturing', () => {
    const shipping = waitingAt(defaultPurchase, 1, { paymentStatus: 'captured' });
    expect(transitionOf(shipping, 'seller', 'ship')).toEqual({
      next: 'await-step',
      capture: false,
      stepIndex: 2,
      timeoutSeconds: 14 * day,
    });
  });

  it('completes on confirmed receipt, and goes to the dispute step on a dispute', () => {
    const receiving = waitingAt(defaultPurchase, 2, { paymentStatus: 'captured' });
    expect(transitionOf(receiving, 'buyer', 'confirm-receipt')).toEqual({ next: 'complete', capture: false });
    expect(transitionOf(receiving, 'buyer', 'open-dispute')).toEqual({
      next: 'await-step',
      capture: false,
      stepIndex: 3,
      timeoutSeconds: 30 * day,
    });
  });

  it('settles disputes: release completes, refund cancels', () => {
    const dispute = waitingAt(defaultPurchase, 3, { paymentStatus: 'captured' });
    expect(transitionOf(dispute, 'admin', 'release-to-seller')).toEqual({ next: 'complete', capture: false });
    expect(transitionOf(dispute, 'admin', 'refund-buyer')).toEqual({ next: 'cancel', capture: false });
  });

  it('on timeouts: cancels unaccepted or unshipped orders, completes a silent receipt or dispute', () => {
    expect(afterTimeout(waitingAt(defaultPurchase, 0))).toEqual({ next: 'cancel', capture: false });
    expect(afterTimeout(waitingAt(defaultPurchase, 1, { paymentStatus: 'captured' }))).toEqual({
      next: 'cancel',
      capture: false,
    });
    expect(afterTimeout(waitingAt(defaultPurchase, 2, { paymentStatus: 'captured' }))).toEqual({
      next: 'complete',
      capture: false,
    });
    expect(afterTimeout(waitingAt(defaultPurchase, 3, { paymentStatus: 'captured' }))).toEqual({
      next: 'complete',
      capture: false,
    });
  });

  it('cancels an unpaid order when the payment wait times out', () => {
    expect(afterTimeout(orderOf(defaultPurchase, { taskToken: 'token-payment' }))).toEqual({
      next: 'cancel',
      capture: false,
    });
  });

  it('refuses to take an action for an order at no step', () => {
    expect(() =>
      transitionAfterAction(orderOf(defaultPurchase), actionOf(defaultPurchase, 'accept', 'accept')),
    ).toThrow('order order-1 is at no step');
  });
});

describe('transitions of custom manufacturing', () => {
  it('captures when the first design is submitted, not again after a round of changes', () => {
    expect(transitionOf(waitingAt(customManufacturing, 0), 'designer', 'submit-design')).toEqual({
      next: 'await-step',
      capture: true,
      stepIndex: 1,
      timeoutSeconds: 3 * day,
    });
    const changing = waitingAt(customManufacturing, 1, { paymentStatus: 'captured' });
    expect(transitionOf(changing, 'buyer', 'request-changes')).toMatchObject({
      stepIndex: 0,
      capture: false,
    });
    const redesigned = waitingAt(customManufacturing, 0, { paymentStatus: 'captured' });
    expect(transitionOf(redesigned, 'designer', 'submit-design')).toMatchObject({
      stepIndex: 1,
      capture: false,
    });
  });

  it('goes on to manufacture when the approval wait times out, as silence approves', () => {
    const approving = waitingAt(customManufacturing, 1, { paymentStatus: 'captured' });
    expect(afterTimeout(approving)).toMatchObject({ stepIndex: 2, capture: false });
  });
});

describe('resumeTransition', () => {
  it.each<[string, Order, Transition]>([
    [
      'completed',
      waitingAt(defaultPurchase, 2, { status: 'completed' }),
      { next: 'complete', capture: false },
    ],
    ['cancelled', orderOf(defaultPurchase, { status: 'cancelled' }), { next: 'cancel', capture: false }],
    [
      'with a pending transition',
      waitingAt(defaultPurchase, 1, { pending: { next: 'await-step', capture: true, stepIndex: 1 } }),
      { next: 'await-step', capture: true, stepIndex: 1 },
    ],
    [
      'awaiting payment',
      orderOf(defaultPurchase),
      { next: 'await-payment', capture: false, timeoutSeconds: 900 },
    ],
    [
      'waiting at a step',
      waitingAt(defaultPurchase, 2),
      { next: 'await-step', capture: false, stepIndex: 2, timeoutSeconds: 14 * day },
    ],
  ])('resumes an order %s', (_, order, expected) => {
    expect(resumeTransition(order)).toEqual(expected);
  });
});

describe('order changes', () => {
  it('records the payment: in progress, authorised, step 0 pending, the wait spent', () => {
    const { order, event } = recordPaymentAuthorised(
      orderOf(defaultPurchase, { taskToken: 't', deadline: 'd' }),
      captureBy,
      now,
    );
    expect(order).toMatchObject({
      status: 'in-progress',
      paymentStatus: 'authorised',
      stepIndex: 0,
      captureBy,
    });
    expect(order.pending).toEqual(afterPaymentAuthorised(orderOf(defaultPurchase)));
    expect(order).not.toHaveProperty('taskToken');
    expect(order).not.toHaveProperty('deadline');
    expect(event).toEqual({ at: now.toISOString(), by: { party: 'payments' }, type: 'payment-authorised' });
  });

  it('records an action with its data, its step and the transition it decided', () => {
    const actor = { party: 'seller', userId: users.seller };
    const data = { trackingNumber: 'TN1' };
    const { order, event } = recordAction(
      waitingAt(defaultPurchase, 1),
      actor,
      actionOf(defaultPurchase, 'ship', 'ship'),
      data,
      now,
    );
    expect(order).toMatchObject({ stepIndex: 2, pending: { next: 'await-step', stepIndex: 2 } });
    expect(order).not.toHaveProperty('taskToken');
    expect(order).not.toHaveProperty('cancelReason');
    expect(event).toEqual({
      at: now.toISOString(),
      by: actor,
      type: 'action',
      step: 'ship',
      action: 'ship',
      data,
    });
  });

  it('records a decline with the reason it cancels for', () => {
    const { order } = recordAction(
      waitingAt(defaultPurchase, 0),
      { party: 'seller', userId: users.seller },
      actionOf(defaultPurchase, 'accept', 'decline'),
      {},
      now,
    );
    expect(order).toMatchObject({
      stepIndex: 0,
      pending: { next: 'cancel' },
      cancelReason: 'decline by the seller',
    });
  });

  it('records timeouts naming the step, or the payment', () => {
    const atStep = recordTimeout(waitingAt(defaultPurchase, 0), now);
    expect(atStep.order).toMatchObject({
      pending: { next: 'cancel' },
      cancelReason: 'no action at step accept before the deadline',
    });
    expect(atStep.event).toMatchObject({ type: 'timed-out', step: 'accept', by: { party: 'workflow' } });
    expect(recordTimeout(orderOf(defaultPurchase), now).event).toMatchObject({ step: 'payment' });
  });

  it('decides a capture with the time left until the capture deadline as the capture wait', () => {
    const accept = actionOf(defaultPurchase, 'accept', 'accept');
    const { order } = recordAction(waitingAt(defaultPurchase, 0), { party: 'seller' }, accept, {}, now);
    expect(order.pending).toEqual({
      next: 'await-step',
      capture: true,
      stepIndex: 1,
      timeoutSeconds: 7 * day,
      captureTimeoutSeconds: 6 * day,
    });
    const late = new Date(Date.parse(captureBy) + 1000);
    const { order: overdue } = recordAction(
      waitingAt(defaultPurchase, 0),
      { party: 'seller' },
      accept,
      {},
      late,
    );
    expect(overdue.pending?.captureTimeoutSeconds).toBe(1);
  });

  it('waits for the capture without offering the next step, then goes on where it waited to', () => {
    const then: Transition = { next: 'await-step', capture: true, stepIndex: 1, captureTimeoutSeconds: 60 };
    const waiting = beginCaptureWait(
      waitingAt(defaultPurchase, 1, { taskToken: undefined }),
      'capture-token',
      then,
    );
    expect(waiting.order).toMatchObject({ taskToken: 'capture-token', deadline: captureBy });
    expect(waiting.order.captureThen).toEqual({ next: 'await-step', capture: false, stepIndex: 1 });
    expect(availableActions(waiting.order, caller('seller'))).toEqual([]);
    expect(describeState(waiting.order)).toBe('waiting for its payment to be captured');
    expect(resumeTransition(waiting.order, now)).toEqual({ ...then, captureTimeoutSeconds: 6 * day });

    const captured = recordCapture(waiting.order, now);
    expect(captured.order).toMatchObject({ paymentStatus: 'captured', pending: waiting.order.captureThen });
    expect(captured.order).not.toHaveProperty('taskToken');
    expect(captured.order).not.toHaveProperty('captureThen');
    expect(captured.event?.type).toBe('payment-captured');
    expect(workflowSignalFor(waiting.order, captured.order)).toEqual({
      kind: 'resume',
      taskToken: 'capture-token',
      transition: waiting.order.captureThen,
    });
  });

  it('records a capture that came before the order waited for it, keeping its decision', () => {
    const pending: Transition = {
      next: 'await-step',
      capture: true,
      stepIndex: 1,
      captureTimeoutSeconds: 60,
    };
    const deciding = waitingAt(defaultPurchase, 1, { taskToken: undefined, pending });
    expect(recordCapture(deciding, now).order).toMatchObject({ paymentStatus: 'captured', pending });
  });

  it('cancels an order whose part cannot be captured, saying why', () => {
    const { order, event } = recordPaymentFailure(waitingAt(defaultPurchase, 0), 'capture refused', now);
    expect(order).toMatchObject({
      pending: { next: 'cancel', capture: false },
      cancelReason: 'capture refused',
    });
    expect(order).not.toHaveProperty('taskToken');
    expect(event).toEqual({
      at: now.toISOString(),
      by: { party: 'payments' },
      type: 'payment-failed',
      data: { reason: 'capture refused' },
    });
  });

  it('records completion', () => {
    const completed = recordCompletion(waitingAt(defaultPurchase, 2, { paymentStatus: 'captured' }), now);
    expect(completed.order).toMatchObject({ status: 'completed', paymentStatus: 'captured' });
    expect(completed.order).not.toHaveProperty('taskToken');
    expect(completed.event?.type).toBe('completed');
  });

  it.each(['refunded', 'cancelled'] as const)(
    'records the payment as the provider released it: %s',
    (expected) => {
      const { order, event } = recordCancellation(waitingAt(defaultPurchase, 1), 'timed out', expected, now);
      expect(order).toMatchObject({
        status: 'cancelled',
        paymentStatus: expected,
        cancelReason: 'timed out',
      });
      expect(order).not.toHaveProperty('taskToken');
      expect(event).toEqual({
        at: now.toISOString(),
        by: { party: 'workflow' },
        type: 'cancelled',
        data: { reason: 'timed out' },
      });
    },
  );

  it('keeps the first cancel reason', () => {
    const declined = waitingAt(defaultPurchase, 0, { cancelReason: 'decline by the seller' });
    const { order, event } = recordCancellation(declined, 'payment cancelled', 'cancelled', now);
    expect(order.cancelReason).toBe('decline by the seller');
    expect(event?.data).toEqual({ reason: 'decline by the seller' });
  });
});

describe('orderSummary', () => {
  it('summarises an order waiting at a step for each participant', () => {
    const order = waitingAt(customManufacturing, 1);
    expect(orderSummary(order, users.designer)).toEqual({
      orderId: 'order-1',
      checkoutId: 'checkout-1',
      parties: ['designer'],
      status: 'in-progress',
      paymentStatus: 'authorised',
      currency: 'EUR',
      total: 11000,
      title: 'Brass desk lamp',
      lineCount: 2,
      step: 'approve-design',
      waitingFor: 'buyer',
      createdAt,
      updatedAt: createdAt,
    });
    expect(orderSummary(order, users.buyer).parties).toEqual(['buyer']);
  });

  it('shows nothing new when only a wait begins: its token and deadline stay on the order', () => {
    const decided = waitingAt(customManufacturing, 1, { taskToken: undefined, deadline: undefined });
    const waiting = { ...decided, taskToken: 'token-1', deadline: '2030-01-09T00:00:00.000Z' };
    expect(summaryChanged(decided, waiting, users.designer)).toBe(false);
    expect(summaryChanged(decided, { ...waiting, stepIndex: 2 }, users.designer)).toBe(true);
  });

  it('leaves out step and waiting party when there is none', () => {
    const summary = orderSummary(orderOf(defaultPurchase, { status: 'cancelled', lines: [] }), users.seller);
    expect(summary).toMatchObject({ parties: ['seller'], status: 'cancelled', title: '', lineCount: 0 });
    expect(summary).not.toHaveProperty('step');
    expect(summary).not.toHaveProperty('waitingFor');
  });
});

describe('workflowSignalFor', () => {
  const accept = defaultPurchase.steps[0]?.actions[0] as ProcessAction;

  it('starts the workflow of a new order with the payment wait', () => {
    const placed = orderOf(defaultPurchase);
    expect(workflowSignalFor(undefined, placed)).toEqual({
      kind: 'start',
      orderId: placed.id,
      transition: initialTransition(placed),
    });
  });

  it('resumes the waiting task with a decision recorded on the order', () => {
    const waiting = waitingAt(defaultPurchase, 0);
    const { order: decided } = recordAction(
      waiting,
      { party: 'seller', userId: 'seller-1' },
      accept,
      {},
      now,
    );
    expect(workflowSignalFor(waiting, decided)).toEqual({
      kind: 'resume',
      taskToken: 'token-0',
      transition: decided.pending,
    });
  });

  it('says nothing for changes that decide nothing: a new wait, a capture, a completion, a removal', () => {
    const waiting = waitingAt(defaultPurchase, 1);
    const placed = orderOf(defaultPurchase);
    expect(
      workflowSignalFor(placed, { ...placed, taskToken: 'token-new', deadline: now.toISOString() }),
    ).toBeUndefined();
    expect(workflowSignalFor(waiting, recordCapture(waiting, now).order)).toBeUndefined();
    expect(workflowSignalFor(waiting, recordCompletion(waiting, now).order)).toBeUndefined();
    expect(workflowSignalFor(waiting, undefined)).toBeUndefined();
  });
});
