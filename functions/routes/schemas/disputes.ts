import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { maxEvidencePerParty } from '#shared/domain/dispute-evidence.ts';
import { maxAmount } from '#shared/domain/money.ts';
import { orderStatuses } from '#shared/domain/order.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { currencySchema } from './catalog.ts';

export const evidenceBody = component('DisputeEvidenceInput', () =>
  z.strictObject({
    statement: z.string().trim().min(1).max(2000).meta({ description: 'What the party says happened' }),
    evidenceUrls: z
      .array(z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(500))
      .max(10)
      .optional()
      .meta({ description: 'Links to photos, documents, tracking: stored as given, never fetched' }),
  }),
);

export const evidenceView = component('DisputeEvidence', () =>
  z.object({
    id: z.string(),
    party: z.string().meta({ description: 'buyer, seller, a provider, or admin for an admin note' }),
    userId: z.string(),
    statement: z.string(),
    evidenceUrls: z.array(z.string()),
    at: z.iso.datetime(),
  }),
);

const settlementView = () =>
  z.object({
    settlementId: z.string(),
    refund: z.object({ amount: z.number().int(), currency: currencySchema }),
    action: z.string().meta({ description: "The dispute step's action the settlement takes" }),
    refundId: z.string().optional().meta({ description: "The refund among the order's refunds, if partial" }),
    note: z.string(),
    by: z.string(),
    at: z.iso.datetime(),
  });

const disputeSummary = () =>
  z.object({
    status: z
      .enum(['open', 'closed'])
      .meta({ description: 'Open while the order waits at the dispute step' }),
    step: z.string(),
    openedAt: z.iso.datetime(),
    openedBy: z.object({ party: z.string(), userId: z.string().optional() }),
    reason: z.string().optional(),
    deadlines: z
      .record(z.string(), z.iso.datetime())
      .optional()
      .meta({ description: 'While open and waiting: until when each party may add evidence' }),
    evidenceCount: z.record(z.string(), z.number().int()).meta({
      description: `Statements added per party, at most ${maxEvidencePerParty} each`,
    }),
    settlement: settlementView().optional(),
  });

export const disputeView = component('Dispute', () =>
  disputeSummary().extend({
    orderId: z.string(),
    evidence: z.array(evidenceView).meta({ description: 'Oldest first' }),
  }),
);

export const settlementBody = component('DisputeSettlementInput', () =>
  z.strictObject({
    refund: z
      .strictObject({ amount: z.number().int().min(0).max(maxAmount), currency: currencySchema })
      .meta({ description: 'Given back to the buyer (minor units); 0 releases everything to the payees' }),
    note: z.string().trim().min(1).max(500).meta({ description: 'Why, for the parties and the audit log' }),
  }),
);

export const settlementResult = component('DisputeSettlement', () =>
  settlementView().extend({ orderId: z.string() }),
);

export const disputeQueueQuery = deferred(() =>
  pageQueryOf('dispute').extend({
    status: z
      .enum(['open', 'closed'])
      .default('open')
      .meta({ description: 'open: in a dispute step or with an open chargeback; closed: once either ended' }),
  }),
);

const disputeQueueEntry = () =>
  z.object({
    orderId: z.string(),
    queue: z.enum(['open', 'closed']),
    kinds: z
      .array(z.enum(['dispute', 'chargeback']))
      .meta({ description: 'A dispute between the parties, a Stripe chargeback, or both' }),
    orderStatus: z.enum(orderStatuses),
    currency: currencySchema,
    total: z.number().int(),
    buyerId: z.string(),
    sellerId: z.string(),
    dispute: disputeSummary().optional(),
    chargeback: z
      .object({
        disputeId: z.string(),
        status: z.enum(['open', 'won', 'lost']),
        openedAt: z.iso.datetime().optional(),
      })
      .optional(),
  });

export const disputeQueuePage = pageOf(component('DisputeQueueEntry', disputeQueueEntry), 'DisputeQueuePage');
