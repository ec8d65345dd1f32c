/**
 * What a user may turn off. Transactional mail (what they bought, were paid or must act on to keep
 * an order alive) cannot be turned off; updates about an order's progress and reminders can.
 */
export const optionalCategories = ['order_updates', 'reminders'] as const;
export type OptionalCategory = (typeof optionalCategories)[number];
export type NotificationCategory = 'transactional' | OptionalCategory;

/** The languages templates are written in; a user's choice, English until they choose. */
export const notificationLocales = ['en', 'fr'] as const;
export type NotificationLocale = (typeof notificationLocales)[number];

export interface NotificationPreferences {
  readonly locale: NotificationLocale;
  readonly optedOut: readonly OptionalCategory[];
  readonly updatedAt?: string;
}

export const defaultNotificationPreferences: NotificationPreferences = { locale: 'en', optedOut: [] };

/** Every notification there is, with the category its recipients may turn off (or not). */
export const notificationKinds = {
  'order-confirmed': 'transactional',
  'order-action-needed': 'order_updates',
  'order-shipped': 'order_updates',
  'order-refunded': 'transactional',
  'new-order': 'transactional',
  'design-requested': 'transactional',
  'step-due-soon': 'reminders',
  'payout-paid': 'transactional',
  'payout-failed': 'transactional',
  'dispute-opened': 'transactional',
  'webhook-endpoint-disabled': 'transactional',
  'quality-warning': 'transactional',
  'quality-limit-reached': 'transactional',
} as const satisfies Record<string, NotificationCategory>;

export type NotificationKind = keyof typeof notificationKinds;

/** Whether a recipient with these preferences gets a notification of `kind`. */
export function wantsNotification(preferences: NotificationPreferences, kind: NotificationKind): boolean {
  const category: NotificationCategory = notificationKinds[kind];
  return category === 'transactional' || !preferences.optedOut.includes(category);
}

/** A step's party reminded of its deadline, once per step and deadline. */
export interface StepReminder {
  readonly orderId: string;
  readonly step: string;
  readonly stepIndex: number;
  readonly party: string;
  readonly deadline: string;
  /** The order's sellers and providers, whose feeds the reminder's event goes to. */
  readonly audience: readonly string[];
  readonly remindedAt: string;
}

/** Default lead of a step's reminder: a day before its deadline. */
export const defaultReminderLeadSeconds = 24 * 60 * 60;

/**
 * When to remind the party of a step due at `deadline`, or undefined when that moment has passed
 * already: a step shorter than the lead gets no reminder, its first notice says when it is due.
 */
export function reminderTime(deadline: string, leadSeconds: number, now: Date): string | undefined {
  const at = Date.parse(deadline) - leadSeconds * 1000;
  return at > now.getTime() ? new Date(at).toISOString() : undefined;
}
