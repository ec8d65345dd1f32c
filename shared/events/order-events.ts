import type { StepReminder } from '../domain/notifications.ts';
import { type Actor, currentStep, type Order, type OrderEvent } from '../domain/order.ts';
import { isDisputeStep } from '../domain/order-disputes.ts';
import type { EventActor, EventDraft } from './catalog.ts';

const workflow: EventActor = { kind: 'system', name: 'workflow' };

/** An order's history names a party and, for people, their user id; admins act as the `admin` party. */
export function actorOf(by: Actor): EventActor {
  if (by.party === 'admin') return { kind: 'admin', ...(by.userId ? { id: by.userId } : {}) };
  if (by.userId) return { kind: 'user', id: by.userId, party: by.party };
  return { kind: 'system', name: by.party };
}

/** Everyone who takes part in the order but its buyer: the seller and any providers. */
export const audienceOf = (order: Order) => [
  ...new Set(
    Object.entries(order.parties)
      .filter(([party]) => party !== 'buyer')
      .map(([, userId]) => userId),
  ),
];

/** The moments an entry of an order's history records (`order` is the order it belongs to). */
export function eventsOfOrderHistory(entry: OrderEvent, order: Order): EventDraft[] {
  const common = {
    occurredAt: entry.at,
    actor: actorOf(entry.by),
    subject: { kind: 'order', id: order.id },
    audience: audienceOf(order),
  } as const;
  const payment = { currency: order.currency, amount: order.total };
  switch (entry.type) {
    case 'placed':
      return [
        {
          ...common,
          type: 'order.placed',
          data: {
            buyerId: order.buyerId,
            sellerId: order.sellerId,
            process: order.process.id,
            currency: order.currency,
            total: order.total,
          },
        },
      ];
    case 'payment-authorised':
      return [{ ...common, type: 'payment.authorised', data: payment }];
    case 'payment-captured':
      return [{ ...common, type: 'payment.captured', data: payment }];
    case 'refunded': {
      const { refundId = '', amount = '0', reason } = entry.data ?? {};
      return [
        {
          ...common,
          type: 'refund.succeeded',
          data: { refundId, currency: order.currency, amount: Number(amount), ...(reason ? { reason } : {}) },
        },
      ];
    }
    case 'completed':
      return [{ ...common, type: 'order.completed', data: {} }];
    case 'cancelled':
      return [{ ...common, type: 'order.cancelled', data: { reason: entry.data?.reason ?? '' } }];
    case 'chargeback-open':
      return [
        {
          ...common,
          type: 'dispute.opened',
          data: { kind: 'chargeback', ...(entry.data?.disputeId ? { disputeId: entry.data.disputeId } : {}) },
        },
      ];
    case 'chargeback-won':
    case 'chargeback-lost':
      return [
        {
          ...common,
          type: 'dispute.closed',
          data: { kind: 'chargeback', outcome: entry.type === 'chargeback-won' ? 'won' : 'lost' },
        },
      ];
    default:
      // Actions, timeouts and refused payments show as the step they lead to, or the cancellation.
      return [];
  }
}

/** The step the order waits at for a party, and until when, if it waits at one. */
export function awaitedStep(order: Order) {
  const step = currentStep(order);
  const waiting = order.taskToken !== undefined && order.pending === undefined && !order.captureThen;
  return step && waiting && order.deadline && order.stepIndex !== undefined
    ? { step, stepIndex: order.stepIndex, deadline: order.deadline }
    : undefined;
}

/** The order stands in its dispute step, undecided. */
const inDispute = (order: Order) => {
  const step = currentStep(order);
  return (
    step !== undefined &&
    isDisputeStep(step) &&
    order.dispute?.step === step.name &&
    order.pending === undefined
  );
};

/**
 * What a change of the order item itself says that its history does not: the step it now waits
 * at (with the deadline, known once the wait begins) and its marketplace dispute opening or closing.
 */
export function eventsOfOrderChange(before: Order | undefined, after: Order): EventDraft[] {
  const common = { subject: { kind: 'order', id: after.id }, audience: audienceOf(after) } as const;
  const events: EventDraft[] = [];
  const dispute = after.dispute;
  if (dispute && dispute.openedAt !== before?.dispute?.openedAt) {
    events.push({
      ...common,
      type: 'dispute.opened',
      occurredAt: dispute.openedAt,
      actor: actorOf(dispute.openedBy),
      data: {
        kind: 'marketplace',
        step: dispute.step,
        ...(dispute.reason ? { reason: dispute.reason } : {}),
      },
    });
  }
  const [was, is] = [before && awaitedStep(before), awaitedStep(after)];
  if (is && (is.stepIndex !== was?.stepIndex || is.deadline !== was.deadline)) {
    events.push({
      ...common,
      type: 'order.step_changed',
      occurredAt: after.updatedAt,
      actor: workflow,
      data: { step: is.step.name, stepIndex: is.stepIndex, party: is.step.party, deadline: is.deadline },
    });
  }
  if (before && inDispute(before) && !inDispute(after)) {
    const settlement = after.dispute?.settlement;
    events.push({
      ...common,
      type: 'dispute.closed',
      occurredAt: settlement?.at ?? after.updatedAt,
      actor: settlement ? { kind: 'admin', id: settlement.by } : workflow,
      data: {
        kind: 'marketplace',
        outcome: settlement?.action ?? (after.status === 'cancelled' ? 'cancelled' : 'timed-out'),
        ...(settlement && settlement.refund.amount > 0 ? { refund: settlement.refund } : {}),
      },
    });
  }
  return events;
}

/** A step's party reminded that its deadline is near (by the step's reminder timer). */
export function eventsOfStepReminder(reminder: StepReminder): EventDraft[] {
  const { orderId, step, stepIndex, party, deadline, audience, remindedAt } = reminder;
  return [
    {
      type: 'order.step_due_soon',
      occurredAt: remindedAt,
      actor: { kind: 'system', name: 'reminders' },
      subject: { kind: 'order', id: orderId },
      audience,
      data: { step, stepIndex, party, deadline },
    },
  ];
}
