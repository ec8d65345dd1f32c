import { reportStore } from '#shared/app/composition/stores/report-store.ts';
import { selfReport } from '#shared/domain/report.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/** Any signed-in user reports a listing or a user; the reporter sees their report, not its handling. */
export const handler = httpHandler(trustRoutes.fileReport, async ({ body, caller }) => {
  if (body.target.kind === 'user' && body.target.id === caller.userId) throw selfReport();
  const { resolution: _, ...filed } = await reportStore.create({ ...body, reporterId: caller.userId });
  return { status: 201, body: filed, headers: { location: `/admin/reports/${filed.id}` } };
});
