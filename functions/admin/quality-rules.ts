import { sellerQualityStore } from '#shared/app/composition/stores/seller-quality-store.ts';
import { ifMatchVersion, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { preconditionRequired } from '#shared/http/problem.ts';
import { routesEntryPoint } from '#shared/http/shared-function.ts';
import { QualityRulesExist } from '#shared/store/seller-quality-store.ts';
import { qualityRoutes } from '../routes/quality.ts';

/**
 * Reads, or replaces, the seller quality rules. The first set may be saved without If-Match (or with
 * `"0"`); after that If-Match is required (428) and must name the current version (412).
 */
export const handler = routesEntryPoint([
  [
    qualityRoutes.getQualityRules,
    httpHandler(qualityRoutes.getQualityRules, async () => {
      const stored = await sellerQualityStore.rules();
      return { status: 200, body: stored, headers: { etag: versionTag(stored.version) } };
    }),
  ],
  [
    qualityRoutes.saveQualityRules,
    httpHandler(qualityRoutes.saveQualityRules, async ({ headers, body, caller }) => {
      const expectedVersion = ifMatchVersion(headers['if-match']);
      try {
        const saved = await sellerQualityStore.saveRules(body.rules, expectedVersion, caller.userId);
        return {
          status: saved.version === 1 ? 201 : 200,
          body: saved,
          headers: { etag: versionTag(saved.version) },
        };
      } catch (error) {
        if (!(error instanceof QualityRulesExist)) throw error;
        throw preconditionRequired(
          `Quality rules are saved (version ${error.version}); send If-Match with the ETag you read, so no update is lost.`,
        );
      }
    }),
  ],
]);
