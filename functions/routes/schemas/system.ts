import * as z from 'zod';

export const healthyView = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Healthy' });

/** Settings named as the operator gives them: `stripe.<field of the Stripe secret>`, or a CDK context option. */
const settingNames = z.array(z.string());

export const degradedView = z
  .strictObject({
    status: z.literal('degraded'),
    missing: settingNames.meta({
      description:
        'Settings not given yet, e.g. stripe.secretKey (a field of the Stripe secret) or sellerOnboardingUrl',
    }),
    invalid: settingNames.meta({ description: 'Settings given, but not of their shape' }),
  })
  .meta({ id: 'Degraded' });
