import type { Actor, Order, Transition } from './order.ts';
import type { ProcessStep } from './order-process.ts';
import { processOf } from './processes.ts';

/**
 * A dispute step is one the admin decides: the order waits there while buyer, seller and providers
 * make their case. Version 1 processes name no response times; their dispute step is one too.
 */
export const isDisputeStep = (step: Pick<ProcessStep, 'party'>) => step.party === 'admin';

export type ChargebackStatus = 'open' | 'won' | 'lost';

/** The buyer's card network took back the checkout's payment (a Stripe dispute). */
export interface Chargeback {
  readonly disputeId: string;
  readonly status: ChargebackStatus;
  /** Absent on chargebacks recorded before it was kept. */
  readonly openedAt?: string;
}

/** How an admin settled a dispute: `refund` given back to the buyer, the rest released to the payees. */
export interface DisputeSettlement {
  /** From the admin's Idempotency-Key: a retry continues this settlement. */
  readonly settlementId: string;
  readonly refund: { readonly amount: number; readonly currency: string };
  /** The dispute step's action the settlement takes once the refund is made. */
  readonly action: string;
  /** The refund made through the order's refunds, when part (not all, not none) is given back. */
  readonly refundId?: string;
  readonly note: string;
  readonly by: string;
  readonly at: string;
  /** What was asked, to tell a retry from another settlement reusing its key. */
  readonly fingerprint: string;
}

/** The order's latest dispute: opened when it entered a dispute step, kept once it left it. */
export interface OrderDispute {
  readonly step: string;
  readonly openedAt: string;
  readonly openedBy: Actor;
  readonly reason?: string;
  /**
   * Until when each party the step gives a response time may make their case, set once when the
   * workflow's wait at the step begins. The other parties have until the step's deadline.
   */
  readonly responseDeadlines?: Readonly<Record<string, string>>;
  /** Statements and evidence added, per party: what caps them. */
  readonly evidence: Readonly<Record<string, number>>;
  readonly settlement?: DisputeSettlement;
}

/**
 * The dispute `transition` opens, if it leads the order into a dispute step from another step:
 * when, by whom and why (the data's `reason`, as the buyer's `open-dispute` gives it).
 */
export function disputeOpenedBy(
  order: Order,
  transition: Transition,
  by: Actor,
  now: Date,
  data: Readonly<Record<string, string>> = {},
): Pick<Order, 'dispute'> {
  if (transition.next !== 'await-step' || transition.stepIndex === order.stepIndex) return {};
  const step = processOf(order.process).steps[transition.stepIndex ?? -1];
  if (!step || !isDisputeStep(step)) return {};
  const opened: OrderDispute = {
    step: step.name,
    openedAt: now.toISOString(),
    openedBy: by,
    ...(data.reason ? { reason: data.reason } : {}),
    evidence: {},
  };
  return { dispute: opened };
}

/**
 * Each party's response deadline in a dispute step's wait from `start` to `deadline`: its response
 * time's share of the step's timeout, so a scaled clock (local tests) scales them alike. In the cloud
 * the wait starts now and lasts the step's timeout, so this is `start` plus the response time.
 */
export function responseDeadlinesOf(
  { responseSeconds, timeoutSeconds }: Pick<Transition, 'responseSeconds' | 'timeoutSeconds'>,
  start: Date,
  deadline: string,
): Record<string, string> | undefined {
  if (!responseSeconds || !timeoutSeconds) return undefined;
  const span = Date.parse(deadline) - start.getTime();
  return Object.fromEntries(
    Object.entries(responseSeconds).map(([party, seconds]) => [
      party,
      new Date(start.getTime() + Math.round((span * seconds) / timeoutSeconds)).toISOString(),
    ]),
  );
}

/** The order waits at a dispute step (and has decided nothing yet that takes it out of it). */
export function inDisputeStep(order: Order): boolean {
  if (order.status !== 'in-progress' || order.stepIndex === undefined) return false;
  const step = processOf(order.process).steps[order.stepIndex];
  const leaving =
    order.pending !== undefined &&
    (order.pending.next !== 'await-step' || order.pending.stepIndex !== order.stepIndex);
  return step !== undefined && isDisputeStep(step) && !leaving;
}

/**
 * Where the order stands in the admins' dispute queue, and since when: open while it waits at a
 * dispute step or its chargeback is open; closed once it had either; otherwise not in it.
 */
export function disputeQueueStanding(order: Order): { status: 'open' | 'closed'; since: string } | undefined {
  const open = inDisputeStep(order) || order.chargeback?.status === 'open';
  if (!open && !order.dispute && !order.chargeback) return undefined;
  const since = order.dispute?.openedAt ?? order.chargeback?.openedAt ?? order.createdAt;
  return { status: open ? 'open' : 'closed', since };
}
