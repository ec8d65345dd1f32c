import { z } from 'zod';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import { ifMatchHeader } from '#shared/http/etag.ts';
import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { commissionRulesBody, commissionRulesViewSchema } from './admin/schemas.ts';
import {
  createListingBody,
  listingId,
  listingPage,
  listingView,
  pageQuery,
  publicListingView,
  updateListingBody,
} from './catalog/schemas.ts';
import {
  actionBody,
  actionParams,
  checkoutBody,
  checkoutView,
  eventPageQuery,
  idempotencyKeyHeaders,
  orderEventPage,
  orderPageQuery,
  orderParams,
  orderSummaryPage,
  orderView,
  refundBody,
  refundView,
} from './orders/schemas.ts';
import {
  approvalBody,
  payoutHoldBody,
  payoutHoldParams,
  payoutHoldReleaseBody,
  payoutHoldView,
  payoutLinePage,
  payoutRunDetail,
  payoutRunDetailQuery,
  payoutRunPage,
  payoutRunParams,
  payoutRunQuery,
  payoutRunView,
  startPayoutRunBody,
} from './payouts/schemas.ts';
import { searchQuerySchema, searchResultView } from './search/schemas.ts';
import {
  balancesView,
  bankPayoutPage,
  bankPayoutQuery,
  paymentsAccountView,
  paymentsOnboardingView,
  publicSellerView,
  sellerIdSchema,
  sellerProfileBody,
  sellerProfileView,
  statementPage,
  statementQuery,
} from './sellers/schemas.ts';
import { degradedView, healthyView } from './system/schemas.ts';

const listingParams = z.strictObject({ listingId });
const ifMatch = z.object({
  'if-match': ifMatchHeader.meta({ description: 'The ETag of the version you read.' }),
});

/**
 * Verified Stripe events: the webhook route stores each once and sends its id to this queue, whose
 * consumer applies it. CDK builds the queue and the consumer; the local stack serves the queue on its SQS endpoint.
 */
export const stripeEventProcessing = {
  queue: 'stripe-events',
  handler: 'payments/process-stripe-events',
  // Claiming and marking stored events, and what the appliers in payments/stripe-events.ts do: record
  // payments and settle captures, post chargebacks and refunds, store accounts and bank payouts.
  uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'], stripe: true },
} as const satisfies { queue: string; handler: string; uses: FunctionResources };

/** What starting a payout run takes: the run, its currency's active-run slot, and the workflow. */
const payoutRunStart = {
  table: ['GetItem', 'PutItem', 'Query'],
  workflow: { name: 'payout-run', actions: ['start'] },
  payoutSettings: true,
} as const satisfies FunctionResources;

/**
 * Scheduled payout runs: an EventBridge schedule per currency (CDK context `payoutSchedule`, `payoutScheduleCurrencies`, `payoutScheduleTimezone`)
 * invokes this function, which starts the run as a finance user's request would.
 */
export const scheduledPayoutRuns = {
  handler: 'payouts/start-scheduled-run',
  uses: payoutRunStart,
} as const satisfies { handler: string; uses: FunctionResources };

/**
 * THE route table. CDK creates one API route and one function per entry, the local gateway routes
 * with it, handlers validate with it, and /openapi.json is generated from it.
 */
export const routes = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    handler: 'system/health',
    summary: 'Whether the API is up and has every setting it needs (named, never shown)',
    tags: ['system'],
    // Reads the Stripe secret to tell whether the operator has filled it in.
    uses: { stripe: true },
    access: 'public',
    responses: {
      200: { description: 'Up and configured', body: healthyView },
      503: {
        description:
          'Up, but settings are missing or malformed: requests needing them fail until they are given',
        body: degradedView,
      },
    },
  }),
  openApi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    handler: 'system/openapi',
    summary: 'This API described in OpenAPI 3.1',
    tags: ['system'],
    uses: {},
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
  getMyProfile: defineRoute({
    method: 'GET',
    path: '/sellers/me',
    handler: 'sellers/get-my-profile',
    summary: "The caller's seller profile",
    tags: ['sellers'],
    uses: { table: ['GetItem'] },
    access: ['seller'],
    responses: { 200: { description: 'The profile; ETag carries its version', body: sellerProfileView } },
  }),
  saveMyProfile: defineRoute({
    method: 'PUT',
    path: '/sellers/me',
    handler: 'sellers/save-my-profile',
    summary: 'Create the seller profile, or replace it with If-Match',
    tags: ['sellers'],
    uses: { table: ['PutItem', 'UpdateItem'] },
    access: ['seller'],
    headers: ifMatch,
    body: sellerProfileBody,
    responses: {
      200: { description: 'Updated', body: sellerProfileView },
      201: { description: 'Created', body: sellerProfileView },
      409: { description: 'A profile exists and no If-Match was sent' },
      412: { description: 'If-Match does not match the current version' },
    },
  }),
  getMyBalances: defineRoute({
    method: 'GET',
    path: '/sellers/me/balances',
    handler: 'sellers/get-my-balances',
    summary: 'What you have earned, per currency: pending, available, frozen by disputes, paid out',
    tags: ['sellers'],
    uses: { table: ['Query'] },
    access: ['seller'],
    responses: { 200: { description: 'Your balances', body: balancesView } },
  }),
  listMyStatement: defineRoute({
    method: 'GET',
    path: '/sellers/me/statement',
    handler: 'sellers/list-my-statement',
    summary: 'Every ledger entry of your accounts, newest first',
    tags: ['sellers'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: statementQuery,
    responses: { 200: { description: 'One page of entries', body: statementPage } },
  }),
  startPaymentsOnboarding: defineRoute({
    method: 'POST',
    path: '/sellers/me/payments-account',
    handler: 'sellers/start-payments-onboarding',
    summary:
      'Set up payments with Stripe: your connected account is created once, a new onboarding link on every call',
    tags: ['sellers'],
    uses: { table: ['GetItem', 'UpdateItem'], stripe: true },
    access: ['seller'],
    responses: {
      201: {
        description: "A new link into Stripe's onboarding, and your account's status",
        body: paymentsOnboardingView,
      },
      409: { description: 'No seller profile yet' },
    },
  }),
  getMyPaymentsAccount: defineRoute({
    method: 'GET',
    path: '/sellers/me/payments-account',
    handler: 'sellers/get-my-payments-account',
    summary: 'Your payments account as Stripe reports it now, and what is missing',
    tags: ['sellers'],
    uses: { table: ['GetItem', 'UpdateItem'], stripe: true },
    access: ['seller'],
    responses: {
      200: { description: 'Read from Stripe just now', body: paymentsAccountView },
      404: { description: 'You have not set up payments yet' },
    },
  }),
  listMyBankPayouts: defineRoute({
    method: 'GET',
    path: '/sellers/me/bank-payouts',
    handler: 'sellers/list-my-bank-payouts',
    summary: 'Payouts from your Stripe account to your bank, newest first, with why any failed',
    tags: ['sellers'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: bankPayoutQuery,
    responses: { 200: { description: 'One page of bank payouts', body: bankPayoutPage } },
  }),
  getSeller: defineRoute({
    method: 'GET',
    path: '/sellers/{sellerId}',
    handler: 'sellers/get-seller',
    summary: "A seller's public profile",
    tags: ['sellers'],
    uses: { table: ['GetItem'] },
    access: 'public',
    params: z.strictObject({ sellerId: sellerIdSchema }),
    responses: { 200: { description: 'The public profile', body: publicSellerView } },
  }),
  createListing: defineRoute({
    method: 'POST',
    path: '/listings',
    handler: 'catalog/create-listing',
    summary: 'Create a draft listing',
    tags: ['catalog'],
    uses: { table: ['PutItem'] },
    access: ['seller'],
    body: createListingBody,
    responses: { 201: { description: 'Created as a draft', body: listingView } },
  }),
  getListing: defineRoute({
    method: 'GET',
    path: '/listings/{listingId}',
    handler: 'catalog/get-listing',
    summary: 'A published listing',
    tags: ['catalog'],
    uses: { table: ['GetItem'] },
    access: 'public',
    params: listingParams,
    responses: {
      200: { description: 'The listing; ETag carries its version', body: publicListingView },
    },
  }),
  updateListing: defineRoute({
    method: 'PATCH',
    path: '/listings/{listingId}',
    handler: 'catalog/update-listing',
    summary: 'Change fields of your listing (If-Match required)',
    tags: ['catalog'],
    uses: { table: ['UpdateItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    body: updateListingBody,
    responses: {
      200: { description: 'Updated', body: listingView },
      412: { description: 'If-Match does not match the current version' },
      428: { description: 'If-Match is missing' },
    },
  }),
  publishListing: defineRoute({
    method: 'POST',
    path: '/listings/{listingId}/publish',
    handler: 'catalog/publish-listing',
    summary: 'Publish your listing (requires a seller profile and Stripe charges enabled)',
    tags: ['catalog'],
    uses: { table: ['ConditionCheckItem', 'UpdateItem', 'GetItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    responses: {
      200: { description: 'Published', body: listingView },
      409: {
        description:
          'Already published, no seller profile yet, or Stripe has not enabled charges on your account (payments_not_enabled)',
      },
      412: { description: 'If-Match does not match the current version' },
    },
  }),
  unpublishListing: defineRoute({
    method: 'POST',
    path: '/listings/{listingId}/unpublish',
    handler: 'catalog/unpublish-listing',
    summary: 'Take your listing off the marketplace',
    tags: ['catalog'],
    uses: { table: ['UpdateItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    responses: {
      200: { description: 'Unpublished', body: listingView },
      409: { description: 'Not published' },
      412: { description: 'If-Match does not match the current version' },
    },
  }),
  listMyListings: defineRoute({
    method: 'GET',
    path: '/sellers/me/listings',
    handler: 'catalog/list-my-listings',
    summary: 'Your listings in every status, newest first',
    tags: ['catalog'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: pageQuery,
    responses: { 200: { description: 'One page of listings', body: listingPage } },
  }),
  searchListings: defineRoute({
    method: 'GET',
    path: '/search',
    handler: 'search/search-listings',
    summary: 'Find published listings by text, with filters, facets and sorting',
    tags: ['search'],
    uses: { search: 'read' },
    access: 'public',
    query: searchQuerySchema,
    responses: {
      200: { description: 'One page of matches, the total and facet counts', body: searchResultView },
    },
  }),
  placeCheckout: defineRoute({
    method: 'POST',
    path: '/checkouts',
    handler: 'orders/place-checkout',
    summary: 'Check out a cart: one order per seller, stock reserved, payment authorised',
    tags: ['orders'],
    uses: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'],
      stripe: true,
      checkoutSettings: true,
    },
    access: ['buyer'],
    headers: idempotencyKeyHeaders('checkout'),
    body: checkoutBody,
    responses: {
      201: { description: 'Checked out (or the first response to this Idempotency-Key)', body: checkoutView },
      409: {
        description:
          'A line is not on sale, short of stock or repriced, or the buyer has too many checkouts ' +
          'waiting for their payment; nothing was reserved',
      },
      422: {
        description:
          "Two currencies in one cart, a line over its listing's maximum per order, a total over what " +
          'one payment can take, or the Idempotency-Key was used for another cart',
      },
    },
  }),
  listMyOrders: defineRoute({
    method: 'GET',
    path: '/orders',
    handler: 'orders/list-my-orders',
    summary: 'Orders you take part in (as buyer, seller or provider), newest first',
    tags: ['orders'],
    uses: { table: ['Query'] },
    access: ['buyer', 'seller', 'admin'],
    query: orderPageQuery,
    responses: { 200: { description: 'One page of order summaries', body: orderSummaryPage } },
  }),
  getOrder: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}',
    handler: 'orders/get-order',
    summary: 'An order you take part in, with its current step and the actions you may take now',
    tags: ['orders'],
    uses: { table: ['GetItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    responses: { 200: { description: 'The order', body: orderView } },
  }),
  listOrderEvents: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}/events',
    handler: 'orders/list-order-events',
    summary: "The order's history: who did what, when, with what data",
    tags: ['orders'],
    uses: { table: ['GetItem', 'Query'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    query: eventPageQuery,
    responses: { 200: { description: 'One page of events, oldest first', body: orderEventPage } },
  }),
  takeOrderAction: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/actions/{action}',
    handler: 'orders/take-order-action',
    summary: "Take one of the current step's actions (accept, ship, confirm-receipt, ...)",
    tags: ['orders'],
    uses: { table: ['GetItem', 'PutItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: actionParams,
    body: actionBody,
    responses: {
      200: { description: 'Recorded; the order moves on', body: orderView },
      403: { description: 'Another party takes this action' },
      409: { description: 'The action is not possible at the current step' },
    },
  }),
  refundOrder: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/refunds',
    handler: 'orders/refund-order',
    summary: 'Refund lines of an order, in full or in part (seller before shipment, admin any time)',
    tags: ['orders'],
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], stripe: true },
    access: ['seller', 'admin'],
    params: orderParams,
    headers: idempotencyKeyHeaders('refund'),
    body: refundBody,
    responses: {
      201: { description: 'Refunded; the ledger gives the amount back from the order', body: refundView },
      403: { description: 'Neither the seller nor an admin, or an admin-only option' },
      409: {
        description:
          'Nothing captured, more than is left, after shipment (sellers), another refund in progress, ' +
          'or refused by the payment provider',
      },
      422: { description: 'Lines that do not exist, or the Idempotency-Key reused for another refund' },
    },
  }),
  startPayoutRun: defineRoute({
    method: 'POST',
    path: '/payout-runs',
    handler: 'payouts/start-payout-run',
    summary: 'Start a payout run (or a dry run) paying sellers what is available in one currency',
    tags: ['payouts'],
    uses: payoutRunStart,
    access: ['finance'],
    headers: idempotencyKeyHeaders('payout run'),
    body: startPayoutRunBody,
    responses: {
      201: { description: 'The run started; follow its progress at its location', body: payoutRunView },
      200: { description: 'The run this Idempotency-Key started before', body: payoutRunView },
      409: { description: 'Another run of the currency is still moving money' },
      422: { description: 'A cutoff in the future, or the Idempotency-Key reused for other terms' },
    },
  }),
  listPayoutRuns: defineRoute({
    method: 'GET',
    path: '/payout-runs',
    handler: 'payouts/list-payout-runs',
    summary: 'Payout runs, newest first',
    tags: ['payouts'],
    uses: { table: ['Query'] },
    access: ['finance'],
    query: payoutRunQuery,
    responses: { 200: { description: 'One page of runs', body: payoutRunPage } },
  }),
  getPayoutRun: defineRoute({
    method: 'GET',
    path: '/payout-runs/{runId}',
    handler: 'payouts/get-payout-run',
    summary: "A payout run's status, progress and summary, with one page of its lines per seller",
    tags: ['payouts'],
    uses: { table: ['Query'] },
    access: ['finance'],
    params: payoutRunParams,
    query: payoutRunDetailQuery,
    responses: { 200: { description: 'The run and a page of its lines', body: payoutRunDetail } },
  }),
  decidePayoutRun: defineRoute({
    method: 'POST',
    path: '/payout-runs/{runId}/approval',
    handler: 'payouts/decide-payout-run',
    summary:
      'Approve or reject a run waiting for approval (not by the finance user who started it, nor by one it pays)',
    tags: ['payouts'],
    uses: {
      // The decision and, in the same transaction, the check that the approver has no line the run
      // pays; a rejection then settles the run in its currency's approval window and frees the currency.
      table: ['Query', 'UpdateItem', 'ConditionCheckItem', 'DeleteItem'],
      workflow: { name: 'payout-run', actions: ['signal'] },
    },
    access: ['finance'],
    params: payoutRunParams,
    body: approvalBody,
    responses: {
      200: { description: 'Decided: the run pays, or is rejected', body: payoutRunView },
      403: { description: 'The finance user who started the run, or one the run pays' },
      409: { description: 'The run is not waiting for approval, or its deadline passed' },
    },
  }),
  resumePayoutRun: defineRoute({
    method: 'POST',
    path: '/payout-runs/{runId}/resume',
    handler: 'payouts/resume-payout-run',
    summary: 'Start a new execution of a run whose execution ended before the run did',
    tags: ['payouts'],
    uses: { table: ['Query'], workflow: { name: 'payout-run', actions: ['start'] } },
    access: ['finance'],
    params: payoutRunParams,
    responses: {
      202: { description: 'A new execution carries on from where the run stands', body: payoutRunView },
      409: { description: 'The run is over, or waits for approval until its deadline: decide it instead' },
    },
  }),
  payoutRunReport: defineRoute({
    method: 'GET',
    path: '/payout-runs/{runId}/report.csv',
    handler: 'payouts/payout-run-report',
    summary: 'Every line of a payout run as CSV, for accounting (amounts in minor units)',
    tags: ['payouts'],
    uses: { table: ['Query'] },
    access: ['finance'],
    params: payoutRunParams,
    responses: {
      200: {
        description: 'One row per seller selected or held back',
        contentType: 'text/csv',
        body: z.string(),
      },
    },
  }),
  listMyPayouts: defineRoute({
    method: 'GET',
    path: '/sellers/me/payouts',
    handler: 'payouts/list-my-payouts',
    summary: "Your payouts from the marketplace's payout runs, newest first, with their bank payout",
    tags: ['sellers', 'payouts'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: payoutRunQuery,
    responses: { 200: { description: 'One page of payouts', body: payoutLinePage } },
  }),
  placePayoutHold: defineRoute({
    method: 'PUT',
    path: '/sellers/{sellerId}/payout-hold',
    handler: 'payouts/place-payout-hold',
    summary: "Hold a seller's payouts back: runs skip them until released",
    tags: ['payouts'],
    uses: { table: ['GetItem', 'PutItem'] },
    access: ['finance', 'admin'],
    params: payoutHoldParams,
    body: payoutHoldBody,
    responses: { 200: { description: 'The hold', body: payoutHoldView } },
  }),
  releasePayoutHold: defineRoute({
    method: 'DELETE',
    path: '/sellers/{sellerId}/payout-hold',
    handler: 'payouts/release-payout-hold',
    summary: "Release a seller's payout hold, saying why (not the held seller's own)",
    tags: ['payouts'],
    // The hold, then in one transaction its deletion and the record of its release.
    uses: { table: ['GetItem', 'DeleteItem', 'PutItem'] },
    access: ['finance', 'admin'],
    params: payoutHoldParams,
    body: payoutHoldReleaseBody,
    responses: {
      200: { description: 'Released: the hold, with who released it, when and why', body: payoutHoldView },
      403: { description: 'The held seller' },
      404: { description: 'The seller has no payout hold' },
      409: { description: 'The hold changed while it was being released; try again' },
    },
  }),
  getCommissionRules: defineRoute({
    method: 'GET',
    path: '/admin/commission-rules',
    handler: 'admin/get-commission-rules',
    summary: 'The commission rule set in force (10 % of every line until one is saved)',
    tags: ['admin'],
    uses: { table: ['GetItem'] },
    access: ['admin'],
    responses: {
      200: {
        description: 'The rule set; ETag carries its version ("0" while none is saved)',
        body: commissionRulesViewSchema,
      },
    },
  }),
  saveCommissionRules: defineRoute({
    method: 'PUT',
    path: '/admin/commission-rules',
    handler: 'admin/save-commission-rules',
    summary: 'Replace the commission rule set (If-Match required once one is saved)',
    tags: ['admin'],
    uses: { table: ['PutItem'] },
    access: ['admin'],
    headers: ifMatch,
    body: commissionRulesBody,
    responses: {
      200: {
        description: 'Replaced; orders placed before keep their commission',
        body: commissionRulesViewSchema,
      },
      201: { description: 'The first rule set, saved', body: commissionRulesViewSchema },
      412: { description: 'If-Match does not match the current version' },
      428: { description: 'A rule set is saved and If-Match is missing' },
    },
  }),
  receiveStripeWebhook: defineRoute({
    method: 'POST',
    path: '/webhooks/stripe',
    handler: 'payments/receive-stripe-webhook',
    summary:
      "Stripe's event deliveries, trusted by their signature instead of a token: stored once, then queued",
    tags: ['payments'],
    uses: {
      table: ['PutItem'],
      stripe: true,
      queue: { name: stripeEventProcessing.queue, actions: ['send'] },
    },
    access: 'public',
    headers: z.object({
      'stripe-signature': z.string().min(1).meta({
        description: "Stripe's HMAC of the raw body and its timestamp, which must be under 5 minutes old.",
      }),
    }),
    responses: {
      200: {
        description:
          'Stored (or already stored) and queued; an event of the other mode (live or test) than the ' +
          'secret key is acknowledged and dropped',
        body: z.object({ received: z.literal(true) }),
      },
      400: {
        description: 'The signature is missing, does not match the body or is too old; nothing was stored',
      },
    },
  }),
} satisfies Record<string, RouteSpec>;

export const routeList: readonly RouteSpec[] = Object.values(routes);

/** Answers requests no route matches (API Gateway's `$default` route), with 404 or 405. */
export const fallbackHandler = 'system/fallback';

/** Consumes the table's stream to keep the search index in step with published listings. */
export const searchIndexerHandler = 'search/index-listings';

/** Consumes the table's stream to start each new order's workflow and resume it after each decision. */
export const orderWorkflowDriverHandler = 'orders/drive-order-workflows';
