/** The operator's settings functions read from their environment, by prefix (see infra/constructs/). */
const operatorSettingPrefixes = [
  'PAYOUT_',
  'CHECKOUT_',
  'REVIEW_',
  'WEBHOOK_',
  'EVENT_LOG_',
  'NOTIFICATION_',
] as const;

/** The prefix of the operator settings `name` belongs to, if it is one. */
export const operatorSettingPrefix = (name: string) =>
  operatorSettingPrefixes.find((prefix) => name.startsWith(prefix));
