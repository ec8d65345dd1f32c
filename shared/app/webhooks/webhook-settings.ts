import * as z from 'zod';
import { defaultDisableAfterFailingSeconds, defaultRetrySchedule } from '#shared/domain/webhooks.ts';

/** How deliveries are retried, when a failing endpoint is disabled, and which hosts development may send to. */
export interface WebhookSettings {
  /** Seconds before each attempt: the first (0: at once), then each retry. */
  readonly retryScheduleSeconds: readonly number[];
  readonly allowedHosts: readonly string[];
  /** An endpoint whose attempts have all failed for this long is disabled. */
  readonly disableAfterFailingSeconds: number;
}

/** Bounds of each setting, checked by CDK context and by the functions reading the environment alike. */
export const webhookSettingLimits = {
  retryDelaySeconds: 86_400,
  retryAttempts: 20,
  disableAfterFailingSeconds: { min: 1, max: 30 * 86_400 },
} as const;

export const defaultWebhookSettings: WebhookSettings = {
  retryScheduleSeconds: defaultRetrySchedule,
  allowedHosts: [],
  disableAfterFailingSeconds: defaultDisableAfterFailingSeconds,
};

const commaSeparated = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** A comma-separated retry schedule, as the environment and CDK context give it. */
export const retryScheduleSchema = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'is not a comma-separated list of seconds')
  .transform((value) => commaSeparated(value).map(Number))
  .pipe(
    z
      .array(z.number().int().max(webhookSettingLimits.retryDelaySeconds))
      .min(1)
      .max(webhookSettingLimits.retryAttempts),
  );

/** Comma-separated host names or IP addresses. */
export const allowedHostsSchema = z
  .string()
  .transform(commaSeparated)
  .pipe(z.array(z.string().regex(/^[\w.:-]+$/)));

const { min, max } = webhookSettingLimits.disableAfterFailingSeconds;

const settingsSchema = z.object({
  WEBHOOK_RETRY_SCHEDULE_SECONDS: retryScheduleSchema.optional(),
  WEBHOOK_ALLOWED_HOSTS: allowedHostsSchema.optional(),
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: z.coerce.number().int().min(min).max(max).optional(),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function webhookSettings(environment: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid webhook settings: ${z.prettifyError(parsed.error)}`);
  return {
    retryScheduleSeconds: parsed.data.WEBHOOK_RETRY_SCHEDULE_SECONDS ?? defaultRetrySchedule,
    allowedHosts: parsed.data.WEBHOOK_ALLOWED_HOSTS ?? [],
    disableAfterFailingSeconds:
      parsed.data.WEBHOOK_DISABLE_AFTER_FAILING_SECONDS ?? defaultDisableAfterFailingSeconds,
  };
}
