import Stripe from 'stripe';
import { handler as baseline } from '../bundle-baseline.ts';

/** The baseline with the Stripe SDK loaded, as the functions that call Stripe load it. */
export const handler = async () => [await baseline(), Stripe.name];
