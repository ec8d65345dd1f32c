import { currentStep, type Order, type OrderPaymentStatus, type OrderStatus } from './order.ts';
import { partiesOf } from './order-parties.ts';

/**
 * What a participant's order list shows of an order, kept beside the order for one-Query lists. It
 * leaves out what changes with every wait (the deadline, the task token): a wait that only starts
 * does not rewrite every participant's entry.
 */
export interface OrderSummary {
  readonly orderId: string;
  readonly checkoutId: string;
  /** The parties the listing user is in this order. */
  readonly parties: readonly string[];
  readonly status: OrderStatus;
  readonly paymentStatus: OrderPaymentStatus;
  readonly currency: string;
  readonly total: number;
  readonly title: string;
  readonly lineCount: number;
  readonly step?: string;
  readonly waitingFor?: string;
  readonly createdAt: string;
  /** When what the entry shows last changed: an order's writes that change none of it leave it be. */
  readonly updatedAt: string;
}

export function orderSummary(order: Order, userId: string): OrderSummary {
  const step = currentStep(order);
  return {
    orderId: order.id,
    checkoutId: order.checkoutId,
    parties: partiesOf(order, { userId, roles: [] }),
    status: order.status,
    paymentStatus: order.paymentStatus,
    currency: order.currency,
    total: order.total,
    title: order.lines[0]?.title ?? '',
    lineCount: order.lines.length,
    ...(step ? { step: step.name, waitingFor: step.party } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** Whether the participant's entry would show anything new: a later `updatedAt` alone is not. */
export function summaryChanged(previous: Order, next: Order, userId: string): boolean {
  const shown = (order: Order) => JSON.stringify({ ...orderSummary(order, userId), updatedAt: undefined });
  return shown(previous) !== shown(next);
}
