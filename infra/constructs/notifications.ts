import { Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { notifier } from '#functions/routes.ts';
import type { NotificationSettings } from '#shared/app/notifications/notification-settings.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { stepReminder } from '#workflows/step-reminder.ts';
import type { OperatorAlerts } from './alerts.ts';
import { TableChangeConsumer } from './table-change-consumer.ts';
import { Workflow } from './workflow.ts';

/** What `cdk deploy -c notificationSender=…` turns on. */
export interface NotificationDeployment {
  /** The From address, verified in SES (itself, or its domain) in the stack's Region. */
  readonly sender: string;
  readonly settings: NotificationSettings;
}

export interface NotificationsProps extends NotificationDeployment {
  readonly table: Table;
  readonly userPool: IUserPool;
  readonly alerts: OperatorAlerts;
}

/** The settings as the environment shared/app/notifications/notification-settings.ts reads them from. */
export const notificationEnvironment = (settings: NotificationSettings): Record<string, string> => ({
  NOTIFICATION_MARKETPLACE_NAME: settings.marketplaceName,
  NOTIFICATION_REMINDER_LEAD_SECONDS: String(settings.reminderLeadSeconds),
});

/**
 * Mail: the notifier consumes the events appended to the log and sends what each means to the
 * people it concerns through SES, with a configuration set that keeps bounced and complaining
 * addresses off the list; steps' reminders wait in the step-reminder state machine.
 */
export class Notifications extends Construct {
  readonly reminders: Workflow;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { table, alerts, sender } = props;
    this.reminders = new Workflow(this, 'StepReminder', { definition: stepReminder, table, alerts });
    const configurationSet = new ConfigurationSet(this, 'Mail', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    const consumer = new TableChangeConsumer(this, 'Notifier', {
      handler: notifier.handler,
      entities: notifier.entities,
      images: ['NewImage'],
      batchSize: 25,
      tableGrant: { table, actions: notifier.uses.table },
      workflowGrant: { workflow: this.reminders, actions: notifier.uses.workflow.actions },
      environment: {
        [resourceVariables.notificationSender]: sender,
        [resourceVariables.notificationConfigurationSet]: configurationSet.configurationSetName,
        [resourceVariables.userPoolId]: props.userPool.userPoolId,
        ...notificationEnvironment(props.settings),
      },
    });
    const { region, account, partition } = Stack.of(this);
    const identity = (name: string) => `arn:${partition}:ses:${region}:${account}:identity/${name}`;
    consumer.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        // SES authorises the address's own identity, or its domain's when the domain is verified.
        resources: [
          identity(sender),
          identity(sender.slice(sender.indexOf('@') + 1)),
          `arn:${partition}:ses:${region}:${account}:configuration-set/${configurationSet.configurationSetName}`,
        ],
      }),
    );
    consumer.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsersInGroup'],
        resources: [props.userPool.userPoolArn],
      }),
    );
  }
}
