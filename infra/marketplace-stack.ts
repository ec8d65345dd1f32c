import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fallbackHandler, orderWorkflowDriver, routeList, suspensionEnforcer } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { reviewWindow } from '#workflows/review-window.ts';
import { OperatorAlerts } from './constructs/alerts.ts';
import { MarketplaceApi } from './constructs/api.ts';
import { alarmOnServerErrors } from './constructs/api-alarms.ts';
import { MarketplaceAuth } from './constructs/auth.ts';
import { alarmOnBusinessEvents } from './constructs/business-alarms.ts';
import { ItemLists } from './constructs/item-lists.ts';
import { MarketplaceEvents } from './constructs/marketplace-events.ts';
import { MarketplaceMetrics } from './constructs/marketplace-metrics.ts';
import { Notifications } from './constructs/notifications.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { PayoutSchedule } from './constructs/payout-schedule.ts';
import { SearchDomain } from './constructs/search.ts';
import { SearchIndexer } from './constructs/search-indexer.ts';
import { StripeEvents } from './constructs/stripe-events.ts';
import { StripeSecret } from './constructs/stripe-secret.ts';
import { MarketplaceTable } from './constructs/table.ts';
import { TableChangeConsumer } from './constructs/table-change-consumer.ts';
import { TableChangeFanOut } from './constructs/table-change-fan-out.ts';
import { Webhooks } from './constructs/webhooks.ts';
import { Workflow } from './constructs/workflow.ts';
import type { DeploymentSettings } from './context.ts';

export interface MarketplaceStackProps extends StackProps, DeploymentSettings {}

export class MarketplaceStack extends Stack {
  constructor(scope: Construct, id: string, props: MarketplaceStackProps) {
    super(scope, id, props);
    const { table } = new MarketplaceTable(this, 'Data', { deletionProtection: props.deletionProtection });
    const search = new SearchDomain(this, 'Search', {
      capacity: props.searchCapacity,
      deletionProtection: props.deletionProtection,
    });
    const alerts = new OperatorAlerts(this, 'Alerts', {
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    new SearchIndexer(this, 'SearchIndexing', { search });
    const { secret: stripeSecret } = new StripeSecret(this, 'Stripe');
    const stripeEvents = new StripeEvents(this, 'StripeEvents', { table, stripeSecret, alerts });
    const reviewWorkflow = new Workflow(this, 'ReviewWindow', { definition: reviewWindow, table, alerts });
    const orderWorkflow = new Workflow(this, 'OrderFulfillment', {
      definition: orderFulfillment,
      table,
      alerts,
      stripeSecret,
      otherWorkflows: [reviewWorkflow],
      reviewSettings: props.reviews,
    });
    const { bucket: itemListBucket } = new ItemLists(this, 'ItemLists', {
      deletionProtection: props.deletionProtection,
    });
    const payoutWorkflow = new Workflow(this, 'PayoutRun', {
      definition: payoutRun,
      table,
      alerts,
      stripeSecret,
      itemListBucket,
    });
    if (props.payoutSchedule) {
      new PayoutSchedule(this, 'PayoutSchedule', {
        schedule: props.payoutSchedule,
        settings: props.payoutRuns,
        table,
        workflow: payoutWorkflow,
        alerts,
      });
    }
    new TableChangeConsumer(this, 'OrderWorkflowDriver', {
      handler: orderWorkflowDriver.handler,
      entities: [entities.order],
      // Inserts start an execution, modifications resume it; both have a new image, deletes do not.
      images: ['NewImage'],
      // Orders move at human pace: hand each change over at once. Records are handled one after the
      // other, one Step Functions call each (a decision that captures first settles its checkout's
      // payment: one Stripe call), so a small batch stays within the function's timeout.
      batchSize: 10,
      workflowGrant: { workflow: orderWorkflow, actions: orderWorkflowDriver.uses.workflow.actions },
      tableGrant: { table, actions: orderWorkflowDriver.uses.table },
      stripeSecret,
    });
    new TableChangeConsumer(this, 'SuspensionEnforcer', {
      handler: suspensionEnforcer.handler,
      entities: [entities.userSuspension],
      // A suspension is put (a new image) and deleted at reinstatement (an old image only).
      images: ['NewImage', 'OldImage'],
      batchSize: 10,
      tableGrant: { table, actions: suspensionEnforcer.uses.table },
    });
    const events = new MarketplaceEvents(this, 'Events', {
      table,
      alerts,
      eventLog: props.eventLog,
      deletionProtection: props.deletionProtection,
    });
    new MarketplaceMetrics(this, 'Metrics', { table });
    const webhooks = new Webhooks(this, 'Webhooks', { table, alerts, settings: props.webhooks });
    const auth = new MarketplaceAuth(this, 'Auth', {
      deletionProtection: props.deletionProtection,
      signIn: props.signIn,
    });
    const notifications = props.notifications
      ? new Notifications(this, 'Notifications', {
          ...props.notifications,
          table,
          userPool: auth.userPool,
          alerts,
        })
      : undefined;
    const { api, stage, accessLogs } = new MarketplaceApi(this, 'Api', {
      routes: routeList,
      fallbackHandler,
      table,
      search,
      authorizer: auth.authorizer,
      corsAllowOrigins: props.corsAllowOrigins,
      workflows: [orderWorkflow, payoutWorkflow],
      queues: [stripeEvents, webhooks],
      stripeSecret,
      ...(props.sellerOnboardingUrl ? { sellerOnboardingUrl: props.sellerOnboardingUrl } : {}),
      payoutRunSettings: props.payoutRuns,
      checkoutSettings: props.checkouts,
      webhookSettings: props.webhooks,
      eventArchive: events.archive,
    });
    if (!props.sellerOnboardingUrl) {
      Annotations.of(this).addWarningV2(
        'marketplace:sellerOnboardingUrl',
        'Sellers cannot onboard with Stripe until the stack knows where to send them back: deploy with ' +
          '-c sellerOnboardingUrl=https://your-marketplace.example/seller/payments',
      );
    }

    // Every consumer of the table's changes is declared by now: one reader of the stream feeds them all.
    new TableChangeFanOut(this, 'TableChanges', {
      table,
      consumers: this.node
        .findAll()
        .filter((construct): construct is TableChangeConsumer => construct instanceof TableChangeConsumer),
      alerts,
    });
    alarmOnServerErrors(this, api, alerts);
    alarmOnBusinessEvents(this, alerts);
    new OperationsDashboard(this, 'Operations', {
      api,
      apiAccessLogs: accessLogs,
      workflows: [
        orderWorkflow,
        payoutWorkflow,
        reviewWorkflow,
        ...(notifications ? [notifications.reminders] : []),
      ],
      alerts,
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SearchEndpoint', { value: search.domain.domainEndpoint });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topic.topicArn });
    new CfnOutput(this, 'OrderFulfillmentArn', { value: orderWorkflow.stateMachineArn });
    new CfnOutput(this, 'PayoutRunArn', { value: payoutWorkflow.stateMachineArn });
    new CfnOutput(this, 'ReviewWindowArn', { value: reviewWorkflow.stateMachineArn });
    if (notifications) {
      new CfnOutput(this, 'StepReminderArn', { value: notifications.reminders.stateMachineArn });
    } else {
      Annotations.of(this).addWarningV2(
        'marketplace:notificationSender',
        'No mail is sent to buyers, sellers or admins until the stack has a sender verified in SES: ' +
          'deploy with -c notificationSender=orders@shop.example',
      );
    }
    new CfnOutput(this, 'EventBusName', { value: events.bus.eventBusName });
    new CfnOutput(this, 'AttentionQueueUrl', { value: events.attentionQueue.queueUrl });
    new CfnOutput(this, 'EventArchiveBucket', { value: events.archive.bucketName });
    new CfnOutput(this, 'StripeSecretArn', {
      value: stripeSecret.secretArn,
      description:
        'The Stripe secret: fill it in with npm run configure -- stripe before taking payments ' +
        '(it finds this output in cdk-outputs.json)',
    });
  }
}
