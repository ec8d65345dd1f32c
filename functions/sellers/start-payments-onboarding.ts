import { sellerStore } from '#shared/app/composition/stores/seller-store.ts';
import { createOnboardingLink, paymentsAccountOf } from '#shared/app/payments/connected-accounts.ts';
import { sellerProfileRequired } from '#shared/domain/seller.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';
import { paymentsAccountBody } from '../routes/views/payments-account.ts';

export const handler = httpHandler(sellerRoutes.startPaymentsOnboarding, async ({ caller }) => {
  const profile = await sellerStore.get(caller.userId);
  if (!profile) throw sellerProfileRequired('setting up payments');
  const account = await paymentsAccountOf(profile);
  const onboardingLink = await createOnboardingLink(account.stripeAccountId);
  return { status: 201, body: { onboardingLink, account: paymentsAccountBody(account) } };
});
