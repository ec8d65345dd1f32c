import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fallbackHandler, routeList } from '#functions/routes.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { OperatorAlerts } from './constructs/alerts.ts';
import { MarketplaceApi } from './constructs/api.ts';
import { MarketplaceAuth } from './constructs/auth.ts';
import { SearchDomain } from './constructs/search.ts';
import { SearchIndexer } from './constructs/search-indexer.ts';
import { MarketplaceTable } from './constructs/table.ts';
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
    const orderWorkflow = new Workflow(this, 'OrderFulfillment', {
      definition: orderFulfillment,
      table,
      alerts,
    });
    const auth = new MarketplaceAuth(this, 'Auth', { deletionProtection: props.deletionProtection });
    const { stage } = new MarketplaceApi(this, 'Api', {
      routes: routeList,
      fallbackHandler,
      table,
      search,
      authorizer: auth.authorizer,
      corsAllowOrigins: props.corsAllowOrigins,
      workflows: [orderWorkflow],
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SearchEndpoint', { value: search.domain.domainEndpoint });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topic.topicArn });
    new CfnOutput(this, 'OrderFulfillmentArn', { value: orderWorkflow.stateMachineArn });
  }
}
