import type Stripe from 'stripe';
import { newId } from './ids.ts';
import type { SimEvent } from './objects.ts';

/** The API request an event came from; Stripe leaves both null for events it raises on its own. */
export interface EventOrigin {
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
}

export const automaticOrigin: EventOrigin = { requestId: null, idempotencyKey: null };

export interface EventDetails {
  /** The connected account a Connect event belongs to (`account.updated`, `payout.paid`). */
  readonly account?: string;
  readonly previousAttributes?: Record<string, unknown>;
}

interface NewEvent extends EventDetails {
  readonly type: Stripe.Event.Type;
  readonly object: object;
  readonly origin: EventOrigin;
  readonly created: number;
  readonly apiVersion: string;
  readonly pendingWebhooks: number;
}

/** A Stripe Event holding a snapshot of the object as it is now. */
export function createEvent(event: NewEvent): SimEvent {
  return {
    id: newId('evt'),
    object: 'event',
    ...(event.account ? { account: event.account } : {}),
    api_version: event.apiVersion,
    created: event.created,
    data: {
      object: structuredClone(event.object),
      ...(event.previousAttributes ? { previous_attributes: event.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: event.pendingWebhooks,
    request: { id: event.origin.requestId, idempotency_key: event.origin.idempotencyKey },
    type: event.type,
  };
}
