import { sellerStore } from '#shared/app/composition/stores.ts';
import { createOnboardingLink, paymentsAccountOf } from '#shared/app/payments/connected-accounts.ts';
import { sellerProfileRequired } from '#shared/domain/seller.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { paymentsAccountBody } from '../routes/views/payments-account.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.startPaymentsOnboarding, async ({ caller }) => {
  const profile = await sellerStore.get(caller.userId);
  if (!profile) throw sellerProfileRequired('setting up payments');
  const account = await paymentsAccountOf(profile);
  const onboardingLink = await createOnboardingLink(account.stripeAccountId);
  return { status: 201, body: { onboardingLink, account: paymentsAccountBody(account) } };
});
