import type { App } from 'aws-cdk-lib';
import {
  defaultEventLogSettings,
  type EventLogSettings,
  maxEventRetentionDays,
  secondsPerDay,
} from '#shared/app/events/event-log-settings.ts';
import {
  defaultNotificationSettings,
  maxReminderLeadSeconds,
} from '#shared/app/notifications/notification-settings.ts';
import {
  type CheckoutSettings,
  defaultCheckoutSettings,
  maxPaymentWindowSeconds,
  maxUnpaidCheckoutsLimit,
} from '#shared/app/orders/checkout-settings.ts';
import { maxApprovalTimeoutSeconds } from '#shared/app/payouts/payout-settings.ts';
import {
  defaultReviewSettings,
  maxReviewWindowSeconds,
  type ReviewSettings,
} from '#shared/app/reviews/review-settings.ts';
import {
  allowedHostsSchema,
  defaultWebhookSettings,
  retryScheduleSchema,
  type WebhookSettings,
  webhookSettingLimits,
} from '#shared/app/webhooks/webhook-settings.ts';
import { currencyCodes, maxAmount } from '#shared/domain/money.ts';
import { parseOrigins } from '#shared/http/cors.ts';
import { featurePlans, type SesSender, type SignInSettings } from './constructs/auth.ts';
import type { NotificationDeployment } from './constructs/notifications.ts';
import type { PayoutScheduleSettings } from './constructs/payout-schedule.ts';
import type { PayoutRunSettings } from './constructs/payout-settings.ts';
import type { SearchCapacity } from './constructs/search.ts';
import {
  booleanContext,
  context,
  countContext,
  emailAddressContext,
  optionalContext,
  rangeContext,
} from './context-values.ts';

/** Settings given with `cdk deploy -c name=value`, each checked with a clear error. */
export interface DeploymentSettings {
  readonly deletionProtection: boolean;
  readonly corsAllowOrigins: readonly string[];
  readonly searchCapacity: SearchCapacity;
  /** Subscribed to the operators' alarm topic when given. */
  readonly alarmEmail?: string;
  /** The web app's seller payments page, where Stripe's onboarding sends sellers back. */
  readonly sellerOnboardingUrl?: string;
  /** Read by the functions that start payout runs. */
  readonly payoutRuns: PayoutRunSettings;
  /** Read by the function that places checkouts. */
  readonly checkouts: CheckoutSettings;
  /** Read by the function that opens each completed order's review window. */
  readonly reviews: ReviewSettings;
  /** Mail to buyers, sellers and admins; none unless `notificationSender` is given. */
  readonly notifications?: NotificationDeployment;
  /** Read by the webhook worker and the route registering endpoints. */
  readonly webhooks: WebhookSettings;
  /** Read by the event recorder, which gives each event its expiry from the table. */
  readonly eventLog: EventLogSettings;
  /** Payout runs started on a schedule; none unless `payoutSchedule` is given. */
  readonly payoutSchedule?: PayoutScheduleSettings;
  readonly signIn: SignInSettings;
}

function payoutRunSettings(app: App): PayoutRunSettings {
  return {
    minimumAmount: rangeContext(app, 'payoutMinimumAmount', 1000, 0, maxAmount, 'minor units'),
    approvalThreshold: rangeContext(app, 'payoutApprovalThreshold', 1_000_000, 0, maxAmount, 'minor units'),
    approvalTimeoutSeconds: rangeContext(
      app,
      'payoutApprovalTimeoutSeconds',
      86_400,
      60,
      maxApprovalTimeoutSeconds,
      'seconds',
    ),
    concurrency: rangeContext(app, 'payoutConcurrency', 10, 1, 1000, 'sellers'),
  };
}

function checkoutSettings(app: App): CheckoutSettings {
  return {
    paymentWindowSeconds: rangeContext(
      app,
      'checkoutPaymentWindowSeconds',
      defaultCheckoutSettings.paymentWindowSeconds,
      60,
      maxPaymentWindowSeconds,
      'seconds',
    ),
    maxUnpaidCheckouts: rangeContext(
      app,
      'maxUnpaidCheckouts',
      defaultCheckoutSettings.maxUnpaidCheckouts,
      1,
      maxUnpaidCheckoutsLimit,
      'checkouts',
    ),
  };
}

function reviewSettings(app: App): ReviewSettings {
  return {
    windowSeconds: rangeContext(
      app,
      'reviewWindowSeconds',
      defaultReviewSettings.windowSeconds,
      1,
      maxReviewWindowSeconds,
      'seconds',
    ),
  };
}

function webhookSettings(app: App): WebhookSettings {
  const schedule = retryScheduleSchema.safeParse(
    context(app, 'webhookRetrySchedule', defaultWebhookSettings.retryScheduleSeconds.join(',')),
  );
  if (!schedule.success) {
    throw new Error(
      'Context webhookRetrySchedule must be comma-separated whole seconds before each attempt (the first, ' +
        `then each retry), each at most ${webhookSettingLimits.retryDelaySeconds}, at most ` +
        `${webhookSettingLimits.retryAttempts} of them, e.g. 0,5,300,1800, got ${context(app, 'webhookRetrySchedule', '')}`,
    );
  }
  const hosts = allowedHostsSchema.safeParse(optionalContext(app, 'webhookAllowedHosts') ?? '');
  if (!hosts.success) {
    throw new Error(
      `Context webhookAllowedHosts must be comma-separated host names or IP addresses, got ${context(app, 'webhookAllowedHosts', '')}`,
    );
  }
  const { min, max } = webhookSettingLimits.disableAfterFailingSeconds;
  return {
    retryScheduleSeconds: schedule.data,
    allowedHosts: hosts.data,
    disableAfterFailingSeconds: rangeContext(
      app,
      'webhookDisableAfterFailingSeconds',
      defaultWebhookSettings.disableAfterFailingSeconds,
      min,
      max,
      'seconds',
    ),
  };
}

function eventLogSettings(app: App): EventLogSettings {
  const days = rangeContext(
    app,
    'eventRetentionDays',
    defaultEventLogSettings.retentionSeconds / secondsPerDay,
    1,
    maxEventRetentionDays,
    'days',
  );
  return { retentionSeconds: days * secondsPerDay };
}

function searchCapacity(app: App): SearchCapacity {
  const dataNodes = countContext(app, 'searchDataNodes', 1, 1);
  // Two or more data nodes turn on zone awareness over two zones (see constructs/search.ts), which
  // OpenSearch Service accepts only with the same number of data nodes in each.
  if (dataNodes > 1 && dataNodes % 2 !== 0) {
    throw new Error(
      'Context searchDataNodes must be 1, or an even number: two or more data nodes are spread over ' +
        `two availability zones, which takes the same number in each, got ${dataNodes}`,
    );
  }
  return {
    dataNodeInstanceType: context(app, 'searchInstanceType', 't3.small.search'),
    dataNodes,
    volumeSizeGiB: countContext(app, 'searchVolumeGiB', 10, 10),
    masterNodeInstanceType: context(app, 'searchMasterInstanceType', 'm6g.large.search'),
    masterNodes: countContext(app, 'searchMasterNodes', 0, 0),
  };
}

/** Whether `expression` is an EventBridge Scheduler `cron(…)`, `rate(…)` or `at(…)` expression. */
function isScheduleExpression(expression: string): boolean {
  const cron = /^cron\(\S+ \S+ (\S+) \S+ (\S+) \S+\)$/.exec(expression);
  // Day of month or day of week is `?`, not both.
  if (cron) return (cron[1] === '?') !== (cron[2] === '?');
  // `rate(1 day)`, `rate(7 days)`: singular for one, plural otherwise.
  const rate = /^rate\(([1-9]\d*) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) return (rate[1] === '1') === (rate[3] === '');
  return /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression);
}

/** The IANA name of the time zone, or undefined if there is no such zone. */
function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function payoutScheduleSettings(app: App): PayoutScheduleSettings | undefined {
  const expression = optionalContext(app, 'payoutSchedule');
  const currencyList = optionalContext(app, 'payoutScheduleCurrencies');
  const timeZoneName = optionalContext(app, 'payoutScheduleTimezone');
  if (expression === undefined) {
    if (currencyList !== undefined || timeZoneName !== undefined) {
      throw new Error(
        'Context payoutScheduleCurrencies and payoutScheduleTimezone apply only to a payout schedule: ' +
          'give payoutSchedule too, e.g. -c "payoutSchedule=cron(0 6 ? * MON *)"',
      );
    }
    return undefined;
  }
  if (!isScheduleExpression(expression)) {
    throw new Error(
      'Context payoutSchedule must be an EventBridge Scheduler expression such as cron(0 6 ? * MON *) ' +
        `(six fields, ? in day of month or day of week), rate(7 days) or at(2030-01-31T06:00:00), got ${expression}`,
    );
  }
  const currencies = [...new Set((currencyList ?? '').split(',').map((code) => code.trim()))].filter(Boolean);
  if (currencies.length === 0) {
    throw new Error(
      'Context payoutScheduleCurrencies must name the currencies to pay out on the schedule, e.g. EUR,USD',
    );
  }
  const unknown = currencies.filter((code) => !currencyCodes.includes(code));
  if (unknown.length > 0) {
    throw new Error(
      `Context payoutScheduleCurrencies must list ISO 4217 currency codes in upper case, separated by commas, got ${unknown.join(', ')}`,
    );
  }
  const timeZone = canonicalTimeZone(timeZoneName ?? 'UTC');
  if (!timeZone) {
    throw new Error(
      `Context payoutScheduleTimezone must be an IANA time zone such as UTC or Europe/Berlin, got ${timeZoneName}`,
    );
  }
  return { expression, currencies, timeZone };
}

function featurePlanContext(app: App): SignInSettings['featurePlan'] {
  const value = context(app, 'cognitoFeaturePlan', 'essentials');
  const plan = featurePlans.find((name) => name === value.trim().toLowerCase());
  if (!plan) {
    throw new Error(
      `Context cognitoFeaturePlan must be ${featurePlans.join(' or ')} (lite cannot put the MFA check into access tokens), got ${value}`,
    );
  }
  return plan;
}

function sesSenderSettings(app: App): SesSender | undefined {
  const fromEmail = emailAddressContext(
    app,
    'sesFromEmail',
    'an email address verified in Amazon SES',
    'no-reply@shop.example',
  );
  const fromName = optionalContext(app, 'sesFromName');
  const replyTo = emailAddressContext(app, 'sesReplyTo', 'an email address', 'help@shop.example');
  const region = optionalContext(app, 'sesRegion');
  if (fromEmail === undefined) {
    if (fromName !== undefined || replyTo !== undefined || region !== undefined) {
      throw new Error(
        'Context sesFromName, sesReplyTo and sesRegion apply only to an SES sender: give sesFromEmail too, ' +
          'e.g. -c sesFromEmail=no-reply@shop.example',
      );
    }
    return undefined;
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new Error(`Context sesRegion must be an AWS Region code such as eu-west-1, got ${region}`);
  }
  return {
    fromEmail,
    ...(fromName ? { fromName } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(region ? { region } : {}),
  };
}

function notificationDeployment(app: App): NotificationDeployment | undefined {
  const sender = emailAddressContext(
    app,
    'notificationSender',
    'an email address verified in Amazon SES in the Region of the stack',
    'orders@shop.example',
  );
  const others = ['notificationMarketplaceName', 'notificationReminderLeadSeconds'];
  if (!sender) {
    const given = others.filter((name) => optionalContext(app, name) !== undefined);
    if (given.length > 0) {
      throw new Error(
        `Context ${given.join(' and ')} apply only to notifications: give notificationSender too, ` +
          'e.g. -c notificationSender=orders@shop.example',
      );
    }
    return undefined;
  }
  return {
    sender,
    settings: {
      marketplaceName: context(
        app,
        'notificationMarketplaceName',
        defaultNotificationSettings.marketplaceName,
      ),
      reminderLeadSeconds: rangeContext(
        app,
        'notificationReminderLeadSeconds',
        defaultNotificationSettings.reminderLeadSeconds,
        1,
        maxReminderLeadSeconds,
        'seconds',
      ),
    },
  };
}

function signInSettings(app: App): SignInSettings {
  const sesSender = sesSenderSettings(app);
  return {
    // SRP only unless said otherwise: USER_PASSWORD_AUTH hands Cognito the password itself.
    allowPasswordAuth: booleanContext(app, 'allowPasswordAuth', false),
    featurePlan: featurePlanContext(app),
    ...(sesSender ? { sesSender } : {}),
  };
}

export function deploymentSettings(app: App): DeploymentSettings {
  const corsAllowOrigins = parseOrigins(context(app, 'corsAllowOrigins', '*'));
  if (corsAllowOrigins.length === 0)
    throw new Error('Context corsAllowOrigins must name at least one origin');
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(alarmEmail))) {
    throw new Error(`Context alarmEmail must be an email address, got ${String(alarmEmail)}`);
  }
  const sellerOnboardingUrl: unknown = app.node.tryGetContext('sellerOnboardingUrl');
  if (
    sellerOnboardingUrl !== undefined &&
    (typeof sellerOnboardingUrl !== 'string' || !/^https:\/\/[^\s/]+/.test(sellerOnboardingUrl))
  ) {
    throw new Error(`Context sellerOnboardingUrl must be an https URL, got ${String(sellerOnboardingUrl)}`);
  }
  const payoutSchedule = payoutScheduleSettings(app);
  const notifications = notificationDeployment(app);
  return {
    // Protected unless said otherwise: forgetting the flag must never let a stack deletion drop the data.
    deletionProtection: booleanContext(app, 'deletionProtection', true),
    corsAllowOrigins,
    searchCapacity: searchCapacity(app),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sellerOnboardingUrl ? { sellerOnboardingUrl } : {}),
    payoutRuns: payoutRunSettings(app),
    checkouts: checkoutSettings(app),
    reviews: reviewSettings(app),
    webhooks: webhookSettings(app),
    eventLog: eventLogSettings(app),
    ...(payoutSchedule ? { payoutSchedule } : {}),
    ...(notifications ? { notifications } : {}),
    signIn: signInSettings(app),
  };
}
