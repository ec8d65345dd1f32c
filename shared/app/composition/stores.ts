import { onFirstUse } from '#shared/config/on-first-use.ts';
import { BankPayoutStore } from '#shared/store/bank-payout-store.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { CommissionRulesStore } from '#shared/store/commission-store.ts';
import { IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { OrderStore } from '#shared/store/order-store.ts';
import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { SellerSalesStore } from '#shared/store/seller-sales-store.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import { StripeEventStore } from '#shared/store/stripe-event-store.ts';

/** Composition root of the stores: each made at its first use in a container, then reused by every invocation. */
export const documentClient = onFirstUse(createDocumentClient);

export const listingStore = onFirstUse(() => new ListingStore(documentClient, tableName()));
export const sellerStore = onFirstUse(() => new SellerStore(documentClient, tableName()));
export const paymentsAccountStore = onFirstUse(() => new PaymentsAccountStore(documentClient, tableName()));
export const bankPayoutStore = onFirstUse(() => new BankPayoutStore(documentClient, tableName()));
export const orderStore = onFirstUse(() => new OrderStore(documentClient, tableName()));
export const commissionRulesStore = onFirstUse(() => new CommissionRulesStore(documentClient, tableName()));
export const sellerSalesStore = onFirstUse(() => new SellerSalesStore(documentClient, tableName()));
export const ledgerStore = onFirstUse(() => new LedgerStore(documentClient, tableName()));
export const stripeEventStore = onFirstUse(() => new StripeEventStore(documentClient, tableName()));
export const payoutRunStore = onFirstUse(() => new PayoutRunStore(documentClient, tableName(), ledgerStore));
export const idempotencyRecordStore = onFirstUse(
  () => new IdempotencyRecordStore(documentClient, tableName()),
);
