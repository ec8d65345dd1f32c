import { BankPayoutStore } from '#shared/store/bank-payout-store.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { CommissionRulesStore, SellerSalesStore } from '#shared/store/commission-store.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { OrderStore } from '#shared/store/order-store.ts';
import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { PayoutRunStore } from '#shared/store/payout-run-store.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import { StripeEventStore } from '#shared/store/stripe-event-store.ts';

/** Composition root of the stores: created once per Lambda container, reused by every invocation. */
export const documentClient = createDocumentClient();

export const listingStore = new ListingStore(documentClient, tableName());
export const sellerStore = new SellerStore(documentClient, tableName());
export const paymentsAccountStore = new PaymentsAccountStore(documentClient, tableName());
export const bankPayoutStore = new BankPayoutStore(documentClient, tableName());
export const orderStore = new OrderStore(documentClient, tableName());
export const commissionRulesStore = new CommissionRulesStore(documentClient, tableName());
export const sellerSalesStore = new SellerSalesStore(documentClient, tableName());
export const ledgerStore = new LedgerStore(documentClient, tableName());
export const stripeEventStore = new StripeEventStore(documentClient, tableName());
export const payoutRunStore = new PayoutRunStore(documentClient, tableName(), ledgerStore);
