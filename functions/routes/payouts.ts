import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { payoutRunStart } from './payout-run-start.ts';
import { idempotencyKeyHeaders } from './schemas/orders.ts';
import {
  approvalBody,
  payoutHoldBody,
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
} from './schemas/payouts.ts';
import { sellerParams } from './schemas/sellers.ts';

/** Payout runs and payout holds, for finance; sellers read their own payouts. */
export const payoutRoutes = {
  startPayoutRun: defineRoute({
    method: 'POST',
    path: '/payout-runs',
    handler: 'payouts/start-payout-run',
    summary: 'Start a payout run (or a dry run) paying sellers what is available in one currency',
    tags: ['payouts'],
    // And the Idempotency-Key's record, its response kept with an update.
    uses: { ...payoutRunStart, table: [...payoutRunStart.table, 'UpdateItem'] },
    access: ['finance'],
    headers: idempotencyKeyHeaders('payout run'),
    idempotent: true,
    body: startPayoutRunBody,
    responses: {
      201: { description: 'The run started; follow its progress at its location', body: payoutRunView },
      200: {
        description:
          'The run this Idempotency-Key started over a day ago (within a day, a retry replays the 201)',
        body: payoutRunView,
      },
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
        body: deferred(() => z.string()),
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
    params: sellerParams,
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
    params: sellerParams,
    body: payoutHoldReleaseBody,
    responses: {
      200: { description: 'Released: the hold, with who released it, when and why', body: payoutHoldView },
      403: { description: 'The held seller' },
      404: { description: 'The seller has no payout hold' },
      409: { description: 'The hold changed while it was being released; try again' },
    },
  }),
} satisfies Record<string, RouteSpec>;
