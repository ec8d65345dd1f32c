import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import Stripe from 'stripe';
import { z } from 'zod';
import { httpEntryPoint } from '#shared/http/handler.ts';
import { Problem } from '#shared/http/problem.ts';
import { logger } from '#shared/logger.ts';
import { stripeEventMessage } from '#shared/payments/stripe-event-processor.ts';
import { stripeEventQueue } from '../queues.ts';
import { routes } from '../routes.ts';
import { stripeEventStore } from '../stores.ts';
import { stripe, stripeSettings } from '../stripe.ts';

const route = routes.receiveStripeWebhook;

const signatureField = 'headers.stripe-signature';

const invalidSignature = (message: string) =>
  new Problem(400, 'invalid_signature', 'The Stripe-Signature header does not verify; nothing was stored.', [
    { field: signatureField, message },
  ]);

/** What processing needs of an event; Stripe signs whatever it sends, so a malformed one is a 400 too. */
const eventEnvelope = z.looseObject({ id: z.string().min(1), type: z.string().min(1) });

/** The body exactly as Stripe sent it: the signature covers its bytes, not a re-encoding of them. */
function rawBody(request: APIGatewayProxyEventV2): string | Buffer {
  const body = request.body ?? '';
  return request.isBase64Encoded ? Buffer.from(body, 'base64') : body;
}

/** The event, parsed only after its signature and timestamp (at most 300 s old) have been checked. */
function verifiedEvent(request: APIGatewayProxyEventV2): Stripe.Event {
  const headers = route.headers.safeParse(request.headers);
  if (!headers.success) throw invalidSignature('is required');
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(
      rawBody(request),
      headers.data['stripe-signature'],
      stripeSettings.webhookSecret,
    );
  } catch (error) {
    logger.warn('stripe webhook rejected', { reason: (error as Error).message });
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw invalidSignature('does not sign this body, or its timestamp is more than 300 seconds old');
    }
    throw new Problem(400, 'malformed_event', 'The body is not a JSON Stripe event; nothing was stored.');
  }
  if (!eventEnvelope.safeParse(event).success) {
    throw new Problem(400, 'malformed_event', 'The event has no id or type; nothing was stored.');
  }
  return event;
}

/**
 * Stripe's webhook endpoint: verifies each delivery, stores the event once and queues it for
 * processing, then answers at once so Stripe does not time out and retry. A copy of an event not
 * yet processed is queued again: if queuing failed after the first delivery stored the event,
 * Stripe's retry recovers it. A copy of a processed event changes nothing.
 */
export const handler = httpEntryPoint(async (request) => {
  const event = verifiedEvent(request);
  const receipt = await stripeEventStore.record(event);
  if (receipt !== 'processed-duplicate') await stripeEventQueue.send(stripeEventMessage(event.id));
  return { status: 200, body: { received: true } };
});
