import { reportStore } from '#shared/app/composition/stores/report-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.listOpenReports, async ({ query }) => ({
  status: 200,
  body: await reportStore.listOpen(query.limit, query.cursor),
}));
