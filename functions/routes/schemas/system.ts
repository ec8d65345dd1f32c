import * as z from 'zod';
import { component } from '#shared/http/component.ts';

export const healthyView = component('Healthy', () => z.strictObject({ status: z.literal('ok') }));

/** Settings named as the operator gives them: `stripe.<field of the Stripe secret>`, or a CDK context option. */
const settingNames = () => z.array(z.string());

export const degradedView = component('Degraded', () =>
  z.strictObject({
    status: z.literal('degraded'),
    missing: settingNames().meta({
      description:
        'Settings not given yet, e.g. stripe.secretKey (a field of the Stripe secret) or sellerOnboardingUrl',
    }),
    invalid: settingNames().meta({ description: 'Settings given, but not of their shape' }),
  }),
);
