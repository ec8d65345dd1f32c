import { paymentsAccountStore } from '#shared/app/composition/stores/payments-account-store.ts';
import { refreshPaymentsAccount } from '#shared/app/payments/connected-accounts.ts';
import { paymentsAccountNotFound } from '#shared/domain/payments-account.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';
import { paymentsAccountBody } from '../routes/views/payments-account.ts';

// Read from Stripe, not only from the table: a seller back from onboarding may be ahead of the webhook.
export const handler = httpHandler(sellerRoutes.getMyPaymentsAccount, async ({ caller }) => {
  const stored = await paymentsAccountStore.get(caller.userId);
  if (!stored) throw paymentsAccountNotFound();
  return { status: 200, body: paymentsAccountBody(await refreshPaymentsAccount(stored)) };
});
