import { adminAuditStore } from '#shared/app/composition/stores/admin-audit-store.ts';
import { auditTargetKinds } from '#shared/domain/admin-audit.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/** `user:alice` as the target it names (the query schema admits only this shape). */
const targetOf = (target: string) => {
  const [kind, id = ''] = target.split(':');
  const known = auditTargetKinds.find((candidate) => candidate === kind);
  return known ? { kind: known, id } : undefined;
};

export const handler = httpHandler(trustRoutes.listAuditEntries, async ({ query }) => ({
  status: 200,
  body: await adminAuditStore.list(
    query.limit,
    query.cursor,
    query.target === undefined ? undefined : targetOf(query.target),
  ),
}));
