import type { Caller } from '#shared/domain/caller.ts';
import {
  availableActions,
  currentStep,
  type Order,
  type OrderLine,
  orderNotFound,
} from '#shared/domain/order.ts';
import { canView, partiesOf } from '#shared/domain/order-parties.ts';
import type { OrderRefund } from '#shared/domain/order-refunds.ts';
import { processOf } from '#shared/domain/processes.ts';
import { orderStore } from '../composition/stores/order-store.ts';

/** The order if the caller takes part in it (admins in all); to anyone else it does not exist. */
export async function orderVisibleTo(orderId: string, caller: Caller): Promise<Order> {
  const order = await orderStore.get(orderId);
  if (!order || !canView(order, caller)) throw orderNotFound(orderId);
  return order;
}

/** A refund as its order shows it: not the fingerprint that tells retries apart. */
export function toRefundView({ fingerprint: _fingerprint, ...refund }: OrderRefund) {
  return refund;
}

/**
 * Who may see how the proceeds are split (the commission and the payees): the seller side of the
 * order and admins, not the buyer.
 */
const seesSplit = (parties: readonly string[]) => parties.some((party) => party !== 'buyer');

const withoutCommission = ({ commission: _commission, ...line }: OrderLine) => line;

/** The order as the caller sees it: never the workflow's token or undecided transition. */
export function toOrderView(order: Order, caller: Caller) {
  const step = currentStep(order);
  const yourParties = partiesOf(order, caller);
  const split = seesSplit(yourParties);
  return {
    id: order.id,
    checkoutId: order.checkoutId,
    status: order.status,
    paymentStatus: order.paymentStatus,
    currency: order.currency,
    total: order.total,
    ...(split ? { commission: order.commission } : {}),
    lines: split ? order.lines : order.lines.map(withoutCommission),
    parties: order.parties,
    ...(split ? { payees: order.payees } : {}),
    process: { ...order.process, title: processOf(order.process).title },
    ...(step
      ? {
          currentStep: {
            name: step.name,
            party: step.party,
            ...(order.deadline ? { deadline: order.deadline } : {}),
          },
        }
      : {}),
    ...(order.status === 'awaiting-payment' && order.deadline ? { paymentDeadline: order.deadline } : {}),
    yourParties,
    actions: availableActions(order, caller).map((action) => ({ name: action.name, fields: action.fields })),
    ...(order.cancelReason && order.status === 'cancelled' ? { cancelReason: order.cancelReason } : {}),
    refunds: (order.refunds ?? []).map(toRefundView),
    ...(order.chargeback ? { chargeback: order.chargeback } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
