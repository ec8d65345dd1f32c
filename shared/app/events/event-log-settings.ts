import * as z from 'zod';

/** How long the table keeps each event of the log; older ones are read from the archive. */
export interface EventLogSettings {
  readonly retentionSeconds: number;
}

export const secondsPerDay = 24 * 60 * 60;

/** 90 days, as long as Sharetribe keeps a marketplace's events. */
export const defaultEventLogSettings: EventLogSettings = { retentionSeconds: 90 * secondsPerDay };

export const maxEventRetentionDays = 3650;

const settingsSchema = z.object({
  EVENT_LOG_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxEventRetentionDays * secondsPerDay)
    .default(defaultEventLogSettings.retentionSeconds),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function eventLogSettings(environment: NodeJS.ProcessEnv = process.env): EventLogSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid event log settings: ${z.prettifyError(parsed.error)}`);
  return { retentionSeconds: parsed.data.EVENT_LOG_RETENTION_SECONDS };
}
