import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type AuditEntry, auditedActions, auditTargetKinds } from '../../domain/admin-audit.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const auditEntrySchema = deferred(() =>
  z.object({
    id: z.string(),
    at: z.string(),
    action: z.enum(auditedActions),
    actor: z.string(),
    target: z.object({ kind: z.enum(auditTargetKinds), id: z.string() }),
    reason: z.string().optional(),
  }),
) satisfies z.ZodType<AuditEntry>;

/** An admin or finance action, in the log of all of them and in its target's by GSI1. */
export const auditEntryEntity = defineEntity<AuditEntry>({
  name: entities.auditEntry,
  version: 1,
  schema: auditEntrySchema,
  keys: [
    {
      PK: 'AUDIT',
      SK: 'ACTION#<at>#<id>',
      GSI1PK: 'AUDIT#<targetKind>#<targetId>',
      GSI1SK: 'ACTION#<at>#<id>',
    },
  ],
});

export const auditLogPartition = { PK: 'AUDIT' } as const;

export const auditTargetPartition = (target: AuditEntry['target']) => ({
  GSI1PK: `AUDIT#${target.kind}#${target.id}`,
});

const auditSortKey = (entry: Pick<AuditEntry, 'at' | 'id'>) => `ACTION#${entry.at}#${entry.id}`;

export const auditEntryItem = (entry: AuditEntry) =>
  auditEntryEntity.item(
    {
      ...auditLogPartition,
      SK: auditSortKey(entry),
      ...auditTargetPartition(entry.target),
      GSI1SK: auditSortKey(entry),
    },
    entry,
  );
