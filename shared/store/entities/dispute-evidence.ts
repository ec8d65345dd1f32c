import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { DisputeEvidence } from '../../domain/dispute-evidence.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const disputeEvidenceSchema = deferred(() =>
  z.object({
    id: z.string(),
    orderId: z.string(),
    party: z.string(),
    userId: z.string(),
    statement: z.string(),
    evidenceUrls: z.array(z.string()),
    at: z.string(),
  }),
) satisfies z.ZodType<DisputeEvidence>;

/**
 * A party's statement in its order's dispute. Its sort key follows the order item's (`ORDER`), so
 * one Query of `begins_with(SK, ORDER)` reads the order and its evidence, oldest first.
 */
export const disputeEvidenceEntity = defineEntity<DisputeEvidence>({
  name: entities.disputeEvidence,
  version: 1,
  schema: disputeEvidenceSchema,
  keys: [{ PK: 'ORDER#<orderId>', SK: 'ORDER#EVIDENCE#<at>#<evidenceId>' }],
});

export const disputeEvidencePrefix = 'ORDER#EVIDENCE#';

export const disputeEvidenceKey = (evidence: Pick<DisputeEvidence, 'orderId' | 'at' | 'id'>) => ({
  PK: `ORDER#${evidence.orderId}`,
  SK: `${disputeEvidencePrefix}${evidence.at}#${evidence.id}`,
});
