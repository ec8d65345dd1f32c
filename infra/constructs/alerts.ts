import { Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperatorAlertsProps {
  /** Subscribed to every alarm when given (`-c alarmEmail=ops@example.com`). */
  readonly email?: string;
}

/** The topic every operational alarm notifies; subscribe email, chat or paging to it. */
export class OperatorAlerts extends Construct {
  readonly topic: Topic;
  /** Every alarm that notifies the topic, for the operations dashboard. */
  readonly alarms: Alarm[] = [];
  /** Every dead-letter queue whose first message alarms, by what fails into it: the dashboard shows their depths. */
  readonly deadLetterQueues: { readonly deadLettersOf: string; readonly queue: IQueue }[] = [];

  constructor(scope: Construct, id: string, { email }: OperatorAlertsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    // A topic policy replaces SNS's default one: without this, CloudWatch may not publish alarms.
    const { account, partition, region } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (email) this.topic.addSubscription(new EmailSubscription(email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Carries alarm state changes only, no customer data; CloudWatch can publish to an encrypted topic ' +
        'only with a customer-managed KMS key, which would cost more than the rest of an idle stack.',
    });
  }

  notify(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
