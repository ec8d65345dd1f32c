import type { WebhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';

/** The settings as the environment shared/app/webhooks/webhook-settings.ts reads them from. */
export const webhookEnvironment = (settings: WebhookSettings): Record<string, string> => ({
  WEBHOOK_RETRY_SCHEDULE_SECONDS: settings.retryScheduleSeconds.join(','),
  WEBHOOK_ALLOWED_HOSTS: settings.allowedHosts.join(','),
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: String(settings.disableAfterFailingSeconds),
});

/** Whether a function reads the webhook settings: the route registering endpoints and the delivery worker. */
export const readsWebhookSettings = (uses: FunctionResources): boolean => uses.webhookSettings === true;
