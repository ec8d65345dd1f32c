import Stripe from 'stripe';
import * as z from 'zod';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { handler as baseline } from '../bundle-baseline.ts';

const input = z.object({ orderId: z.string() });

/**
 * The least a function that calls Stripe carries before any code of its own: the baseline, the Stripe
 * SDK, zod and the entry point's observability (issue 16).
 */
export const handler = eventEntryPoint(async (event: unknown) => [
  input.safeParse(event).success,
  await baseline(),
  Stripe.name,
]);
