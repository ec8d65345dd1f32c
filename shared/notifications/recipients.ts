import type { NotificationKind } from '../domain/notifications.ts';
import type { Order } from '../domain/order.ts';
import { processOf } from '../domain/processes.ts';
import type { MarketplaceEvent } from '../events/catalog.ts';

/** Who a notification goes to: one user, or every admin. */
export type Recipient = { readonly userId: string } | { readonly admins: true };

/** What a notification's template is given. */
export type TemplateValues = Readonly<Record<string, unknown>>;

export interface Notification {
  readonly kind: NotificationKind;
  readonly to: Recipient;
  readonly values: TemplateValues;
}

/** What the notifier reads to word an event's notifications: the order it is about, if any. */
export interface EventContext {
  readonly order?: Order;
  /** The tracking the shipping action gave, for the buyer's shipped notice. */
  readonly tracking?: { readonly trackingNumber?: string; readonly carrier?: string };
}

/** The event types whose notifications need their order read. */
export const needsOrder = (event: MarketplaceEvent) =>
  event.subject.kind === 'order' &&
  ['order.step_changed', 'order.step_due_soon', 'payment.captured', 'refund.succeeded'].includes(event.type);

const orderValues = (order: Order) => ({
  orderId: order.id,
  currency: order.currency,
  total: order.total,
  items: order.lines.map(({ title, quantity }) => ({ title, quantity })),
});

/** The step after the process's shipping step: where the buyer learns the order was sent. */
export function followsShipment(order: Order, stepIndex: number): boolean {
  const process = processOf(order.process);
  return stepIndex > 0 && process.steps[stepIndex - 1]?.name === process.shipmentStep;
}

/** Who is told of a step the order now waits at, and with which notice. */
function stepNotification(
  event: Extract<MarketplaceEvent, { type: 'order.step_changed' }>,
  { order, tracking }: EventContext,
): Notification[] {
  if (!order) return [];
  const { party, step, stepIndex, deadline } = event.data;
  const values = { ...orderValues(order), step, deadline };
  if (party === 'buyer' && followsShipment(order, stepIndex)) {
    return [{ kind: 'order-shipped', to: { userId: order.buyerId }, values: { ...values, ...tracking } }];
  }
  const userId = order.parties[party];
  if (!userId) return [];
  const kind: NotificationKind =
    party === 'seller' && stepIndex === 0
      ? 'new-order'
      : party === 'designer'
        ? 'design-requested'
        : 'order-action-needed';
  return [{ kind, to: { userId }, values }];
}

/**
 * The notifications an event gives, with what their templates need. Admins hear of disputes;
 * buyers of their orders' confirmation, progress and refunds; sellers and providers of what they
 * must act on and of their payouts; an endpoint's owner (every admin for the marketplace's) of
 * its being disabled; sellers of their quality warnings and limits reached.
 */
export function notificationsOf(event: MarketplaceEvent, context: EventContext): Notification[] {
  const { order } = context;
  switch (event.type) {
    case 'order.step_changed':
      return stepNotification(event, context);
    case 'order.step_due_soon': {
      const userId = order?.parties[event.data.party];
      return order && userId
        ? [{ kind: 'step-due-soon', to: { userId }, values: { ...orderValues(order), ...event.data } }]
        : [];
    }
    case 'payment.captured':
      return order
        ? [{ kind: 'order-confirmed', to: { userId: order.buyerId }, values: orderValues(order) }]
        : [];
    case 'refund.succeeded':
      return order
        ? [
            {
              kind: 'order-refunded',
              to: { userId: order.buyerId },
              values: { ...orderValues(order), refund: event.data.amount },
            },
          ]
        : [];
    case 'payout.paid':
    case 'payout.failed': {
      const { sellerId, ...values } = event.data;
      const kind = event.type === 'payout.paid' ? 'payout-paid' : 'payout-failed';
      return [{ kind, to: { userId: sellerId }, values }];
    }
    case 'dispute.opened':
      return [
        {
          kind: 'dispute-opened',
          to: { admins: true },
          values: { orderId: event.subject.id, ...event.data },
        },
      ];
    case 'seller.quality_warning': {
      const { sellerId, ...values } = event.data;
      return [{ kind: 'quality-warning', to: { userId: sellerId }, values }];
    }
    case 'seller.quality_limit_reached': {
      const { sellerId, action, ...values } = event.data;
      return [
        {
          kind: 'quality-limit-reached',
          to: { userId: sellerId },
          values: { ...values, suspend: action === 'suspend' },
        },
      ];
    }
    case 'webhook_endpoint.disabled': {
      const { owner, ...values } = event.data;
      const to: Recipient = owner === 'platform' ? { admins: true } : { userId: owner };
      return [{ kind: 'webhook-endpoint-disabled', to, values }];
    }
    default:
      return [];
  }
}
