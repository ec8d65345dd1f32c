import { reminderTime, type StepReminder } from '#shared/domain/notifications.ts';
import type { Order } from '#shared/domain/order.ts';
import type { EventData } from '#shared/events/catalog.ts';
import { audienceOf, awaitedStep } from '#shared/events/order-events.ts';

/** Starts a step's reminder timer (the step-reminder state machine): the name makes it once. */
export interface ReminderTimer {
  start(name: string, input: ReminderInput): Promise<void>;
}

/** What a reminder timer waits with, and hands its task when it fires. */
export type ReminderInput = {
  readonly orderId: string;
  readonly stepIndex: number;
  readonly deadline: string;
  readonly remindAt: string;
};

/**
 * Starts the timer reminding the party of the step the order now waits at, `leadSeconds` before
 * its deadline. Admins' steps get none (they have the disputes queue), nor does a step whose
 * reminder time has passed already. One execution per order, step and deadline.
 */
export async function scheduleReminder(
  order: Order,
  step: EventData<'order.step_changed'>,
  leadSeconds: number,
  timer: ReminderTimer,
  now: Date,
): Promise<void> {
  const remindAt = reminderTime(step.deadline, leadSeconds, now);
  if (!remindAt || step.party === 'admin' || !order.parties[step.party]) return;
  const name = `${order.id}-${step.stepIndex}-${Date.parse(step.deadline) / 1000}`;
  await timer.start(name, {
    orderId: order.id,
    stepIndex: step.stepIndex,
    deadline: step.deadline,
    remindAt,
  });
}

/**
 * The reminder to put when a step's timer fires, if the order still waits at that step with that
 * deadline: an order that moved on (or whose step was renewed with another deadline) needs none.
 */
export function reminderFor(
  order: Order | undefined,
  input: ReminderInput,
  now: Date,
): StepReminder | undefined {
  const awaited = order && awaitedStep(order);
  if (!order || !awaited || awaited.stepIndex !== input.stepIndex || awaited.deadline !== input.deadline) {
    return undefined;
  }
  return {
    orderId: order.id,
    step: awaited.step.name,
    stepIndex: awaited.stepIndex,
    party: awaited.step.party,
    deadline: awaited.deadline,
    audience: audienceOf(order),
    remindedAt: now.toISOString(),
  };
}
