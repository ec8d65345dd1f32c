import { stripeSecretReader, stripeSettingsSource } from '#shared/payments/stripe-settings.ts';

/**
 * Composition root of Stripe: the settings read from the Stripe secret at their first use, not at
 * load, so a function whose secret the operator has not filled in yet still starts and answers that
 * (503 over HTTP), and picks the settings up once filled in.
 */
const source = stripeSettingsSource(stripeSecretReader());

/** What the Stripe secret configures: complete, or the fields it lacks. */
export const stripeConfiguration = source.configuration;

/** The Stripe settings, or NotConfigured naming what the secret lacks. */
export const stripeSettings = source.settings;
