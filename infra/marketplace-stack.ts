import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  fallbackHandler,
  orderWorkflowDriver,
  routeList,
  sellerKpiProjection,
  suspensionEnforcer,
} from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { reviewWindow } from '#workflows/review-window.ts';
import { OperatorAlerts } from './constructs/alerts.ts';
import { MarketplaceApi } from './constructs/api.ts';
import { alarmOnServerErrors } from './constructs/api-alarms.ts';
import { MarketplaceAuth } from './constructs/auth.ts';
import { ItemLists } from './constructs/item-lists.ts';
import { MarketplaceEvents } from './constructs/marketplace-events.ts';
import { Notifications } from './constructs/notifications.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { PayoutSchedule } from './constructs/payout-schedule.ts';
import { SearchDomain } from './constructs/search.ts';
import { SearchIndexer } from './constructs/search-indexer.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { StripeEvents } from './constructs/stripe-events.ts';
import { StripeSecret } from './constructs/stripe-secret.ts';
import { MarketplaceTable } from './constructs/table.ts';
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
    new SearchIndexer(this, 'SearchIndexing', { table, search, alerts });
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
    new StreamConsumer(this, 'OrderWorkflowDriver', {
      handler: orderWorkflowDriver.handler,
      table,
      entities: [entities.order],
      // Inserts start an execution, modifications resume it; both have a new image, deletes do not.
      images: ['NewImage'],
      // Orders move at human pace: hand each change over at once. Records are handled one after the
      // other, one Step Functions call each (a decision that captures first settles its checkout's
      // payment: one Stripe call), so a small batch stays within the function's timeout.
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(0),
      workflowGrant: { workflow: orderWorkflow, actions: orderWorkflowDriver.uses.workflow.actions },
      tableGrant: { table, actions: orderWorkflowDriver.uses.table },
      stripeSecret,
      alerts,
      deadLettersAlarmDescription:
        `Order changes failed to reach ${orderWorkflow.name} after every retry: new orders whose ` +
        'execution was not started, or recorded decisions that did not resume the waiting task (that ' +
        'order moves on only when its wait times out). Each message names a stream shard and ' +
        "sequence-number range; read those records from the table's stream (kept 24 hours) and, once " +
        'the cause is fixed, invoke the driver function with them again. Starting is idempotent (the ' +
        'execution is named by the order id) and resuming with a spent task token does nothing.',
    });
    new StreamConsumer(this, 'SuspensionEnforcer', {
      handler: suspensionEnforcer.handler,
      table,
      entities: [entities.userSuspension],
      // A suspension is put (a new image) and deleted at reinstatement (an old image only).
      images: ['NewImage', 'OldImage'],
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(0),
      tableGrant: { table, actions: suspensionEnforcer.uses.table },
      alerts,
      deadLettersAlarmDescription:
        "Suspensions or reinstatements whose sellers' listings were not all marked after every retry: a " +
        "suspended seller's listings may still be on sale, or a reinstated seller's still hidden. Each " +
        'message names a stream shard and sequence-number range; once the cause is fixed, invoke the ' +
        'enforcer function with those records again (kept 24 hours), or lift and place the suspension ' +
        'again: marking follows the suspension as it stands and is idempotent.',
    });
    new StreamConsumer(this, 'SellerKpiProjection', {
      handler: sellerKpiProjection.handler,
      table,
      entities: sellerKpiProjection.entities,
      images: ['NewImage'],
      batchSize: 25,
      maxBatchingWindow: Duration.seconds(1),
      tableGrant: { table, actions: sellerKpiProjection.uses.table },
      alerts,
      deadLettersAlarmDescription:
        "Order or review changes not applied to sellers' dashboards and quality KPIs after every retry, " +
        'or whose sellers were not evaluated against the quality rules. Each message names a stream shard ' +
        'and sequence-number range; once the cause is fixed, invoke the projection function with those ' +
        'records again (kept 24 hours): records applied already change nothing, and evaluating again is harmless.',
    });
    const events = new MarketplaceEvents(this, 'Events', {
      table,
      alerts,
      eventLog: props.eventLog,
      deletionProtection: props.deletionProtection,
    });
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
    const { api, stage } = new MarketplaceApi(this, 'Api', {
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

    alarmOnServerErrors(this, api, alerts);
    new OperationsDashboard(this, 'Operations', {
      api,
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
