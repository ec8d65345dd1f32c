import { resolveReport } from '#shared/app/trust/resolve-report.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.resolveReport, async ({ params, body, caller }) => ({
  status: 200,
  body: await resolveReport(params.reportId, body, caller.userId),
}));
