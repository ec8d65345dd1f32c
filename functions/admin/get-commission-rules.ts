import { commissionRulesStore } from '#shared/app/composition/stores.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { commissionRulesView } from '../routes/schemas/admin.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.getCommissionRules, async () => {
  const stored = await commissionRulesStore.get();
  return { status: 200, body: commissionRulesView(stored), headers: { etag: versionTag(stored.version) } };
});
