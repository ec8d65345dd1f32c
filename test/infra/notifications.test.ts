import { describe, expect, it } from 'vitest';
import { notifier } from '#functions/routes.ts';
import { synthesize, templateResources } from './template.ts';

const sender = 'orders@shop.example';
const template = synthesize({
  deletionProtection: true,
  bundle: false,
  context: { notificationSender: sender, notificationReminderLeadSeconds: '7200' },
});
const { actionsOf, environmentOf, tableChangeConsumerRunning, statementsOfRole, roleOf } =
  templateResources(template);
const consumer = tableChangeConsumerRunning(notifier.handler);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('notifications', () => {
  it('are deployed only with a sender', () => {
    const without = synthesize({ deletionProtection: true, bundle: false });
    expect(without.findResources('AWS::SES::ConfigurationSet')).toEqual({});
    expect(() =>
      synthesize({
        deletionProtection: true,
        bundle: false,
        context: { notificationMarketplaceName: 'Shop' },
      }),
    ).toThrow(/give notificationSender too/);
    expect(() =>
      synthesize({
        deletionProtection: true,
        bundle: false,
        context: { notificationSender: 'not-an-address' },
      }),
    ).toThrow(/notificationSender must be an email address/);
  });

  it('send through a configuration set that suppresses bounced and complaining addresses', () => {
    const [[, set] = []] = ofType('AWS::SES::ConfigurationSet');
    expect(set?.Properties).toMatchObject({
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  it('are sent by a consumer of the appended events, with the sender, the pool and the settings', () => {
    expect(consumer.batchSize).toBe(25);
    expect(environmentOf(consumer.functionId)).toMatchObject({
      NOTIFICATION_SENDER: sender,
      NOTIFICATION_REMINDER_LEAD_SECONDS: '7200',
      USER_POOL_ID: expect.anything(),
      NOTIFICATION_CONFIGURATION_SET: expect.anything(),
    });
  });

  it('grant SES sending from the sender only, the pool reads, and the reminder start, nothing else', () => {
    const statements = statementsOfRole(roleOf(consumer.functionId));
    const ses = statements.find((statement) => statement.Action === 'ses:SendEmail');
    expect(JSON.stringify(ses?.Resource)).toContain(`identity/${sender}`);
    expect(JSON.stringify(ses?.Resource)).toContain('identity/shop.example');
    expect(JSON.stringify(ses?.Resource)).toContain('configuration-set/');
    const actions = new Set(actionsOf(consumer.functionId));
    expect(actions).toEqual(
      new Set([
        ...notifier.uses.table.map((action) => `dynamodb:${action}`),
        'states:StartExecution',
        'ses:SendEmail',
        'cognito-idp:AdminGetUser',
        'cognito-idp:ListUsersInGroup',
        ...[...actions].filter((action) => action.startsWith('logs:')),
      ]),
    );
  });

  it('remind on a state machine of their own', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine').map(([, machine]) =>
      JSON.stringify(machine.Properties.StateMachineName ?? ''),
    );
    expect(machines.some((name) => name.includes('step-reminder'))).toBe(true);
  });
});
