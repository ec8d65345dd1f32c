import { explainPaymentsAccount, type SellerPaymentsAccount } from '#shared/domain/payments-account.ts';

/** The body showing a seller their payments account: its status and what it means for them. */
export function paymentsAccountBody({ sellerId: _, ...account }: SellerPaymentsAccount) {
  return { ...account, ...explainPaymentsAccount(account) };
}
