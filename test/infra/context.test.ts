import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { deploymentSettings } from '#infra/context.ts';

const settingsWith = (context: Record<string, unknown>) => deploymentSettings(new App({ context }));

describe('payout settings context', () => {
  it('defaults to a 10.00 minimum, approval above 10,000.00 within a day, ten sellers at once', () => {
    expect(settingsWith({}).payoutRuns).toEqual({
      minimumAmount: 1000,
      approvalThreshold: 1_000_000,
      approvalTimeoutSeconds: 86_400,
      concurrency: 10,
    });
  });

  it('takes each setting from the context, as -c gives it (text) or cdk.json does (a number)', () => {
    expect(
      settingsWith({
        payoutMinimumAmount: '0',
        payoutApprovalThreshold: 250000,
        payoutApprovalTimeoutSeconds: '60',
        payoutConcurrency: '1000',
      }).payoutRuns,
    ).toEqual({
      minimumAmount: 0,
      approvalThreshold: 250_000,
      approvalTimeoutSeconds: 60,
      concurrency: 1000,
    });
  });

  it.each([
    [
      'payoutMinimumAmount',
      '-1',
      'Context payoutMinimumAmount must be a whole number of minor units from 0 to',
    ],
    ['payoutMinimumAmount', '10.50', 'Context payoutMinimumAmount must be a whole number of minor units'],
    ['payoutMinimumAmount', '', 'Context payoutMinimumAmount must be a whole number of minor units'],
    [
      'payoutApprovalThreshold',
      'lots',
      'Context payoutApprovalThreshold must be a whole number of minor units',
    ],
    [
      'payoutApprovalTimeoutSeconds',
      '59',
      'Context payoutApprovalTimeoutSeconds must be a whole number of seconds from 60 to 2592000, got 59',
    ],
    ['payoutApprovalTimeoutSeconds', '31536001', 'Context payoutApprovalTimeoutSeconds must be'],
    [
      'payoutConcurrency',
      '0',
      'Context payoutConcurrency must be a whole number of sellers from 1 to 1000, got 0',
    ],
    [
      'payoutConcurrency',
      '1001',
      'Context payoutConcurrency must be a whole number of sellers from 1 to 1000',
    ],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });
});

describe('checkout settings context', () => {
  it('defaults to a 15-minute payment window and three unpaid checkouts per buyer', () => {
    expect(settingsWith({}).checkouts).toEqual({ paymentWindowSeconds: 900, maxUnpaidCheckouts: 3 });
  });

  it('takes each setting from the context', () => {
    expect(settingsWith({ checkoutPaymentWindowSeconds: '3600', maxUnpaidCheckouts: 1 }).checkouts).toEqual({
      paymentWindowSeconds: 3600,
      maxUnpaidCheckouts: 1,
    });
  });

  it.each([
    [
      'checkoutPaymentWindowSeconds',
      '59',
      'Context checkoutPaymentWindowSeconds must be a whole number of seconds from 60 to 86400, got 59',
    ],
    ['checkoutPaymentWindowSeconds', '86401', 'Context checkoutPaymentWindowSeconds must be'],
    [
      'maxUnpaidCheckouts',
      '0',
      'Context maxUnpaidCheckouts must be a whole number of checkouts from 1 to 100',
    ],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });
});

describe('webhook settings context', () => {
  it("defaults to Standard Webhooks' retry schedule, no allowed hosts, and disabling after five days of failures", () => {
    expect(settingsWith({}).webhooks).toEqual({
      retryScheduleSeconds: [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      allowedHosts: [],
      disableAfterFailingSeconds: 432_000,
    });
  });

  it('takes each setting from the context', () => {
    expect(
      settingsWith({
        webhookRetrySchedule: '0,60, 600',
        webhookAllowedHosts: 'hooks.internal.example',
        webhookDisableAfterFailingSeconds: 86_400,
      }).webhooks,
    ).toEqual({
      retryScheduleSeconds: [0, 60, 600],
      allowedHosts: ['hooks.internal.example'],
      disableAfterFailingSeconds: 86_400,
    });
  });

  it.each([
    [
      'webhookRetrySchedule',
      '0,5,soon',
      'Context webhookRetrySchedule must be comma-separated whole seconds',
    ],
    ['webhookRetrySchedule', '0,86401', 'each at most 86400'],
    ['webhookAllowedHosts', 'a host', 'Context webhookAllowedHosts must be comma-separated host names'],
    [
      'webhookDisableAfterFailingSeconds',
      '0',
      'Context webhookDisableAfterFailingSeconds must be a whole number of seconds from 1 to 2592000, got 0',
    ],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });
});

describe('event retention context', () => {
  it('keeps events in the table 90 days unless told, in whole days', () => {
    expect(settingsWith({}).eventLog).toEqual({ retentionSeconds: 90 * 86_400 });
    expect(settingsWith({ eventRetentionDays: '7' }).eventLog).toEqual({ retentionSeconds: 7 * 86_400 });
  });

  it.each(['0', '1.5', '3651', 'forever'])('refuses eventRetentionDays=%s', (value) => {
    expect(() => settingsWith({ eventRetentionDays: value })).toThrow(
      `Context eventRetentionDays must be a whole number of days from 1 to 3650, got ${value}`,
    );
  });
});

describe('payout schedule context', () => {
  it('is off unless payoutSchedule is given (or given empty)', () => {
    expect(settingsWith({}).payoutSchedule).toBeUndefined();
    expect(settingsWith({ payoutSchedule: '' }).payoutSchedule).toBeUndefined();
  });

  it('takes the expression, the currencies and the time zone, UTC unless given', () => {
    expect(
      settingsWith({ payoutSchedule: 'cron(0 6 ? * MON *)', payoutScheduleCurrencies: 'EUR,USD, EUR' })
        .payoutSchedule,
    ).toEqual({ expression: 'cron(0 6 ? * MON *)', currencies: ['EUR', 'USD'], timeZone: 'UTC' });
    expect(
      settingsWith({
        payoutSchedule: 'rate(7 days)',
        payoutScheduleCurrencies: 'JPY',
        payoutScheduleTimezone: 'Europe/Berlin',
      }).payoutSchedule,
    ).toEqual({ expression: 'rate(7 days)', currencies: ['JPY'], timeZone: 'Europe/Berlin' });
  });

  it.each([
    'cron(0 6 ? * MON *)',
    'cron(30 4 1 * ? *)',
    'rate(1 day)',
    'rate(12 hours)',
    'at(2030-01-31T06:00:00)',
  ])('accepts the expression %s', (expression) => {
    expect(
      settingsWith({ payoutSchedule: expression, payoutScheduleCurrencies: 'EUR' }).payoutSchedule
        ?.expression,
    ).toBe(expression);
  });

  it.each([
    'cron(0 6 * * MON *)',
    'cron(0 6 ? * ? *)',
    'cron(0 6 ? * MON)',
    'rate(1 days)',
    'rate(2 day)',
    'rate(0 days)',
    'rate(5 weeks)',
    'every monday',
    '0 6 * * 1',
  ])('refuses the expression %s', (expression) => {
    expect(() => settingsWith({ payoutSchedule: expression, payoutScheduleCurrencies: 'EUR' })).toThrow(
      `Context payoutSchedule must be an EventBridge Scheduler expression such as cron(0 6 ? * MON *) (six fields, ? in day of month or day of week), rate(7 days) or at(2030-01-31T06:00:00), got ${expression}`,
    );
  });

  it('needs the currencies when a schedule is given', () => {
    for (const currencies of [undefined, '', ' , ']) {
      expect(() =>
        settingsWith({ payoutSchedule: 'cron(0 6 ? * MON *)', payoutScheduleCurrencies: currencies }),
      ).toThrow('Context payoutScheduleCurrencies must name the currencies to pay out on the schedule');
    }
  });

  it('refuses currencies that are not ISO 4217 codes in upper case', () => {
    expect(() =>
      settingsWith({ payoutSchedule: 'cron(0 6 ? * MON *)', payoutScheduleCurrencies: 'EUR,eur,XYZ' }),
    ).toThrow(
      'Context payoutScheduleCurrencies must list ISO 4217 currency codes in upper case, separated by commas, got eur, XYZ',
    );
  });

  it('refuses a time zone that does not exist', () => {
    expect(() =>
      settingsWith({
        payoutSchedule: 'cron(0 6 ? * MON *)',
        payoutScheduleCurrencies: 'EUR',
        payoutScheduleTimezone: 'Mars/Olympus_Mons',
      }),
    ).toThrow(
      'Context payoutScheduleTimezone must be an IANA time zone such as UTC or Europe/Berlin, got Mars/Olympus_Mons',
    );
  });

  it('refuses currencies or a time zone without a schedule', () => {
    for (const context of [{ payoutScheduleCurrencies: 'EUR' }, { payoutScheduleTimezone: 'UTC' }]) {
      expect(() => settingsWith(context)).toThrow(
        'Context payoutScheduleCurrencies and payoutScheduleTimezone apply only to a payout schedule',
      );
    }
  });
});

describe('search capacity context', () => {
  it('defaults to one small data node with 10 GiB and no dedicated master nodes', () => {
    expect(settingsWith({}).searchCapacity).toEqual({
      dataNodeInstanceType: 't3.small.search',
      dataNodes: 1,
      volumeSizeGiB: 10,
      masterNodeInstanceType: 'm6g.large.search',
      masterNodes: 0,
    });
  });

  it.each(['1', '2', 4, '6'])('accepts %s data nodes', (dataNodes) => {
    expect(settingsWith({ searchDataNodes: dataNodes }).searchCapacity.dataNodes).toBe(Number(dataNodes));
  });

  it.each(['3', 5, '7'])('refuses %s data nodes: two or more spread over two zones, evenly', (dataNodes) => {
    expect(() => settingsWith({ searchDataNodes: dataNodes })).toThrow(
      `Context searchDataNodes must be 1, or an even number: two or more data nodes are spread over two availability zones, which takes the same number in each, got ${dataNodes}`,
    );
  });

  it('refuses a count that is no whole number of at least 1', () => {
    expect(() => settingsWith({ searchDataNodes: '0' })).toThrow(
      'Context searchDataNodes must be a whole number of at least 1, got 0',
    );
  });
});
