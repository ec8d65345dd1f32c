import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type Stripe from 'stripe';
import * as z from 'zod';
import { logger } from '../logger.ts';
import { recordStripeEventLag } from '../observability/metrics.ts';
import { handleEachMessage } from '../queue/batch.ts';
import type { StripeEventStore } from '../store/stripe-event-store.ts';

const stripeEventMessageSchema = z.strictObject({ eventId: z.string().min(1) });

/** The queue message asking for a stored event to be processed: its id only, the event stays in the table. */
export const stripeEventMessage = (eventId: string) => JSON.stringify({ eventId });

export interface StripeEventProcessorDependencies {
  readonly events: StripeEventStore;
  /** Applies one event idempotently and in any order relative to others. */
  readonly apply: (event: Stripe.Event) => Promise<void>;
}

/**
 * The queue consumer of verified Stripe events. Each message names a stored event; it is claimed
 * for as long as this invocation may run (so two copies never run at once), applied, and marked
 * processed. A failed attempt gives the claim up and fails its message alone, which SQS delivers
 * again and finally dead-letters.
 */
export function stripeEventProcessor({ events, apply }: StripeEventProcessorDependencies) {
  async function processMessage(record: SQSRecord, context: Context): Promise<void> {
    const { eventId } = stripeEventMessageSchema.parse(JSON.parse(record.body));
    const holder = randomUUID();
    const now = new Date();
    const claim = await events.claim(
      eventId,
      { holder, until: new Date(now.getTime() + context.getRemainingTimeInMillis()) },
      now,
    );
    if (claim.outcome === 'missing') throw new Error(`Stripe event ${eventId} is not stored`);
    if (claim.outcome !== 'claimed') {
      // A leased event's holder owns its outcome: if it fails, its own message comes back.
      logger.info('stripe event skipped', { eventId, reason: claim.outcome });
      return;
    }
    try {
      await apply(claim.event);
      await events.markProcessed(eventId);
      recordStripeEventLag(claim.event.created, new Date());
    } catch (error) {
      await events.release(eventId, holder);
      throw error;
    }
  }

  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    handleEachMessage(event, 'processing a Stripe event', (record) => processMessage(record, context));
}
