import { commissionRulesStore } from '#shared/app/composition/stores/commission-rules-store.ts';
import { ifMatchVersion, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { preconditionRequired } from '#shared/http/problem.ts';
import { CommissionRulesExist } from '#shared/store/commission-store.ts';
import { adminRoutes } from '../routes/admin.ts';
import { commissionRulesView } from '../routes/schemas/admin.ts';

/**
 * Replaces the rule set. The first one may be saved without If-Match (or with the defaults' `"0"`);
 * after that If-Match is required (428) and must name the current version (412). Orders placed
 * before keep the commission they were placed with.
 */
export const handler = httpHandler(adminRoutes.saveCommissionRules, async ({ headers, body, caller }) => {
  const expectedVersion = ifMatchVersion(headers['if-match']);
  try {
    const saved = await commissionRulesStore.save(body, expectedVersion, caller.userId);
    return {
      status: saved.version === 1 ? 201 : 200,
      body: commissionRulesView(saved),
      headers: { etag: versionTag(saved.version) },
    };
  } catch (error) {
    if (!(error instanceof CommissionRulesExist)) throw error;
    throw preconditionRequired(
      `Commission rules are saved (version ${error.version}); send If-Match with the ETag you read, so no update is lost.`,
    );
  }
});
