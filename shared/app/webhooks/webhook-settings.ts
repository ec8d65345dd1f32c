import * as z from 'zod';
import { defaultRetrySchedule } from '#shared/domain/webhooks.ts';

/** How deliveries are retried, and which hosts development may send to despite the address rules. */
export interface WebhookSettings {
  /** Seconds before each attempt: the first (0: at once), then each retry. */
  readonly retryScheduleSeconds: readonly number[];
  readonly allowedHosts: readonly string[];
}

const commaSeparated = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const settingsSchema = z.object({
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'is not a comma-separated list of seconds')
    .transform((value) => commaSeparated(value).map(Number))
    .pipe(z.array(z.number().int().max(86_400)).min(1).max(20))
    .optional(),
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .transform(commaSeparated)
    .pipe(z.array(z.string().regex(/^[\w.:-]+$/)))
    .optional(),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function webhookSettings(environment: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid webhook settings: ${z.prettifyError(parsed.error)}`);
  return {
    retryScheduleSeconds: parsed.data.WEBHOOK_RETRY_SCHEDULE_SECONDS ?? defaultRetrySchedule,
    allowedHosts: parsed.data.WEBHOOK_ALLOWED_HOSTS ?? [],
  };
}
