import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fallbackHandler, routeList } from '#functions/routes.ts';
import { MarketplaceApi } from './constructs/api.ts';
import { MarketplaceAuth } from './constructs/auth.ts';
import { MarketplaceTable } from './constructs/table.ts';

export interface MarketplaceStackProps extends StackProps {
  /** Protects the stateful resources (table, user pool) from deletion and keeps them on stack deletion. */
  readonly deletionProtection: boolean;
  /** Origins browsers may call the API from; `*` for any. */
  readonly corsAllowOrigins: readonly string[];
}

export class MarketplaceStack extends Stack {
  constructor(scope: Construct, id: string, props: MarketplaceStackProps) {
    super(scope, id, props);
    const { table } = new MarketplaceTable(this, 'Data', { deletionProtection: props.deletionProtection });
    const auth = new MarketplaceAuth(this, 'Auth', { deletionProtection: props.deletionProtection });
    const { stage } = new MarketplaceApi(this, 'Api', {
      routes: routeList,
      fallbackHandler,
      table,
      authorizer: auth.authorizer,
      corsAllowOrigins: props.corsAllowOrigins,
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
