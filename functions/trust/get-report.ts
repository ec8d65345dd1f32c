import { reportStore } from '#shared/app/composition/stores/report-store.ts';
import { reportNotFound } from '#shared/domain/report.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.getReport, async ({ params }) => {
  const report = await reportStore.get(params.reportId);
  if (!report) throw reportNotFound(params.reportId);
  return { status: 200, body: report };
});
