import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import Stripe from 'stripe';
import * as z from 'zod';
import { stripeEventQueue } from '#shared/app/composition/queues.ts';
import { stripeEventStore } from '#shared/app/composition/stores/stripe-event-store.ts';
import { stripeSettings } from '#shared/app/composition/stripe.ts';
import { httpEntryPoint } from '#shared/http/handler.ts';
import { Problem } from '#shared/http/problem.ts';
import { logger } from '#shared/logger.ts';
import { stripeEventMessage } from '#shared/payments/stripe-event-processor.ts';
import { isHandledStripeEvent } from '#shared/payments/stripe-event-types.ts';
import { isLiveModeKey, type StripeSettings } from '#shared/payments/stripe-settings.ts';
import { paymentRoutes } from '../routes/payments.ts';

const route = paymentRoutes.receiveStripeWebhook;

const signatureField = 'headers.stripe-signature';

const invalidSignature = (message: string) =>
  new Problem(400, 'invalid_signature', 'The Stripe-Signature header does not verify; nothing was stored.', [
    { field: signatureField, message },
  ]);

/** What processing needs of an event; Stripe signs whatever it sends, so a malformed one is a 400 too. */
const eventEnvelope = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  livemode: z.boolean(),
});

/** The body exactly as Stripe sent it: the signature covers its bytes, not a re-encoding of them. */
function rawBody(request: APIGatewayProxyEventV2): string | Buffer {
  const body = request.body ?? '';
  return request.isBase64Encoded ? Buffer.from(body, 'base64') : body;
}

/**
 * The event, parsed only after one of the endpoints' signing secrets (the platform's, the connected
 * accounts') has verified its signature and timestamp (at most 300 s old).
 */
function verifiedEvent(request: APIGatewayProxyEventV2, { webhookSecrets }: StripeSettings): Stripe.Event {
  const headers = route.headers.safeParse(request.headers);
  if (!headers.success) throw invalidSignature('is required');
  const body = rawBody(request);
  const failures: string[] = [];
  for (const secret of webhookSecrets) {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(body, headers.data['stripe-signature'], secret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        failures.push(error.message);
        continue;
      }
      // Verified, but not a JSON Stripe event.
      logger.warn('stripe webhook rejected', { reason: (error as Error).message });
      throw new Problem(400, 'malformed_event', 'The body is not a JSON Stripe event; nothing was stored.');
    }
    if (!eventEnvelope.safeParse(event).success) {
      throw new Problem(400, 'malformed_event', 'The event has no id, type or livemode; nothing was stored.');
    }
    return event;
  }
  logger.warn('stripe webhook rejected', { reasons: [...new Set(failures)] });
  throw invalidSignature(
    'does not sign this body with any of the endpoint secrets, or its timestamp is more than 300 seconds old',
  );
}

/**
 * Stripe's webhook endpoint: verifies each delivery, stores the event once and queues it for
 * processing, then answers at once so Stripe does not time out and retry. An event of a type the
 * marketplace does not act on is acknowledged and dropped, so an endpoint sent every type costs no
 * more than one sent those it should be (docs/deploy.md). A copy of an event not yet processed is
 * queued again: if queuing failed after the first delivery stored the event, Stripe's retry
 * recovers it. A copy of a processed event changes nothing. An event of the other
 * mode than the secret key (a live-mode Connect endpoint also receives connected accounts' test
 * events) is acknowledged and dropped: the objects it names are not this deployment's. While the
 * Stripe secret is not filled in, nothing can be verified: deliveries are answered 503 and Stripe
 * delivers them again (for up to three days in live mode), so no event is lost to the wait.
 */
export const handler = httpEntryPoint(async (request) => {
  const settings = await stripeSettings();
  const event = verifiedEvent(request, settings);
  // The mode of the events this deployment acts on is that of its secret key.
  if (event.livemode !== isLiveModeKey(settings.secretKey)) {
    logger.info('stripe event of the other mode dropped', {
      eventId: event.id,
      type: event.type,
      livemode: event.livemode,
      ...(event.account ? { account: event.account } : {}),
    });
    return { status: 200, body: { received: true } };
  }
  if (!isHandledStripeEvent(event.type)) {
    logger.info('stripe event of an unhandled type dropped', { eventId: event.id, type: event.type });
    return { status: 200, body: { received: true } };
  }
  const receipt = await stripeEventStore.record(event);
  if (receipt !== 'processed-duplicate') await stripeEventQueue.send(stripeEventMessage(event.id));
  return { status: 200, body: { received: true } };
});
