import { commissionRulesStore } from '#shared/app/composition/stores/commission-rules-store.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { adminRoutes } from '../routes/admin.ts';
import { commissionRulesView } from '../routes/schemas/admin.ts';

export const handler = httpHandler(adminRoutes.getCommissionRules, async () => {
  const stored = await commissionRulesStore.get();
  return { status: 200, body: commissionRulesView(stored), headers: { etag: versionTag(stored.version) } };
});
