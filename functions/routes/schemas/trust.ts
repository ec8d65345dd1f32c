import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { auditedActions, auditTargetKinds } from '#shared/domain/admin-audit.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { sellerIdSchema } from './sellers.ts';

export const userParams = deferred(() => z.strictObject({ userId: sellerIdSchema }));

const reason = () => z.string().trim().min(1).max(500);

export const suspensionBody = component('SuspensionInput', () =>
  z.strictObject({ reason: reason().meta({ description: 'Why, for the record and the audit log' }) }),
);

export const reinstatementBody = component('ReinstatementInput', () =>
  z.strictObject({ reason: reason().meta({ description: 'Why the suspension is lifted' }) }),
);

export const suspensionView = component('UserSuspension', () =>
  z.object({
    userId: z.string(),
    reason: z.string(),
    by: z.string().meta({ description: 'The admin who suspended the user' }),
    since: z.iso.datetime(),
    payoutHoldSince: z.iso.datetime().optional().meta({
      description: 'The payout hold the suspension placed, lifted with it; absent if one was in place',
    }),
    reinstated: z
      .object({ by: z.string(), at: z.iso.datetime(), reason: z.string() })
      .optional()
      .meta({ description: 'Who lifted the suspension, when and why' }),
  }),
);

const targetPattern = new RegExp(`^(${auditTargetKinds.join('|')}):[\\w-]{1,128}$`);

export const auditQuery = deferred(() =>
  pageQueryOf('audit').extend({
    target: z
      .string()
      .regex(targetPattern, 'must be <kind>:<id>, e.g. user:alice or commission-rules:rules')
      .optional()
      .meta({ description: 'Only the actions on this target' }),
  }),
);

export const auditEntryView = component('AuditEntry', () =>
  z.object({
    id: z.string(),
    at: z.iso.datetime(),
    action: z.enum(auditedActions),
    actor: z.string().meta({ description: 'The admin or finance user who acted' }),
    target: z.object({ kind: z.enum(auditTargetKinds), id: z.string() }),
    reason: z.string().optional(),
  }),
);

export const auditPage = pageOf(auditEntryView, 'AuditEntryPage');
