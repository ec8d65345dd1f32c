import type { EventLogSettings } from '#shared/app/events/event-log-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';

/** The settings as the environment shared/app/events/event-log-settings.ts reads them from. */
export const eventLogEnvironment = (settings: EventLogSettings): Record<string, string> => ({
  EVENT_LOG_RETENTION_SECONDS: String(settings.retentionSeconds),
});

/** Whether a function reads the event log settings: the recorder, which gives each event its expiry. */
export const readsEventLogSettings = (uses: FunctionResources): boolean => uses.eventLogSettings === true;
