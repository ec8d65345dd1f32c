import * as z from 'zod';

/** How long after an order completes its parties may review each other. */
export interface ReviewSettings {
  readonly windowSeconds: number;
}

export const defaultReviewSettings: ReviewSettings = { windowSeconds: 14 * 24 * 60 * 60 };

/**
 * 24 days: the local workflow engine's timers end at 24.8 days (longer ones fire at once), and the
 * window's timer must run there as it runs in Step Functions.
 */
export const maxReviewWindowSeconds = 24 * 24 * 60 * 60;

const settingsSchema = z.object({
  REVIEW_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxReviewWindowSeconds)
    .default(defaultReviewSettings.windowSeconds),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function reviewSettings(environment: NodeJS.ProcessEnv = process.env): ReviewSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid review settings: ${z.prettifyError(parsed.error)}`);
  return { windowSeconds: parsed.data.REVIEW_WINDOW_SECONDS };
}
