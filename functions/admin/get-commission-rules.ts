import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { adminRoutes } from '../routes/admin.ts';
import { commissionRulesStore } from '../stores/commission-rules-store.ts';
import { commissionRulesView } from './schemas.ts';

export const handler = httpHandler(adminRoutes.getCommissionRules, async () => {
  const stored = await commissionRulesStore.get();
  return { status: 200, body: commissionRulesView(stored), headers: { etag: versionTag(stored.version) } };
});
