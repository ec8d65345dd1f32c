import type { ReviewSettings } from '#shared/app/reviews/review-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';

/** The settings as the environment shared/app/reviews/review-settings.ts reads them from. */
export const reviewEnvironment = (settings: ReviewSettings): Record<string, string> => ({
  REVIEW_WINDOW_SECONDS: String(settings.windowSeconds),
});

/** Whether a function reads the review settings: the one opening each order's review window declares it. */
export const readsReviewSettings = (uses: FunctionResources): boolean => uses.reviewSettings === true;
