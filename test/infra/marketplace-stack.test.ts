import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { fallbackHandler, routeList } from '#functions/routes.ts';
import { checkoutSettings, defaultCheckoutSettings } from '#shared/app/orders/checkout-settings.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { stripeCallMaxSeconds } from '#shared/payments/stripe-settings.ts';
import { table as tableDefinition } from '#shared/store/table.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { reviewWindow } from '#workflows/review-window.ts';
import { requestHeadersTheApiReads } from '../support/request-headers.ts';
import { type GetAtt, stepFunctionsActions, synthesize, templateResources } from './template.ts';

// Bundles every handler with esbuild, so a broken handler import fails here, not at deploy time.
const template = synthesize({ deletionProtection: true, bundle: true });
const { resourcesOfType, resource, roleOf, statementsOfRole, actionsOf, environmentOf, functionServing } =
  templateResources(template);

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const protectedRouteKeys = routeList.filter((route) => route.access !== 'public').map(routeKey);
const everyRouteKey = [...routeList.map(routeKey), '$default'];
/** Routes naming the same handler module share its function. */
const routeFunctions = new Set(routeList.map((route) => route.handler)).size;

describe('table', () => {
  it('is built from the shared table definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
      StreamSpecification: { StreamViewType: tableDefinition.stream },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
    });
  });

  it('is billed on demand, recoverable to a point in time and encrypted', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is protected and retained when deletion protection is on, except when its first deploy fails', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('can be deleted with the stack when deletion protection is off', () => {
    const unprotected = synthesize({ deletionProtection: false, bundle: false });
    unprotected.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    unprotected.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
  });
});

describe('a failed first deploy', () => {
  it('leaves no data resource behind to block the next one, whose names are taken', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::OpenSearchService::Domain',
      'AWS::S3::Bucket',
    ]) {
      template.hasResource(type, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
  });
});

describe('the stack', () => {
  it('stays well within the 500 resources CloudFormation takes in one stack', () => {
    // 450 on 2026-12-06; the fullest deployment (notifications, two scheduled currencies) had 470.
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(460);
  });
});

describe('functions calling Stripe', () => {
  it('outlive a Stripe call retried to its end, and API routes stay within API Gateway’s 30 s', () => {
    const callers = resourcesOfType('AWS::Lambda::Function').filter(
      ([functionId]) => resourceVariables.stripeSecretArn in environmentOf(functionId),
    );
    expect(callers.length).toBeGreaterThan(10);
    for (const [functionId, { Properties }] of callers) {
      expect(Properties.Timeout, functionId).toBeGreaterThan(stripeCallMaxSeconds);
    }
    for (const [functionId] of callers.filter(([id]) => id.startsWith('Api'))) {
      expect(resource(functionId).Properties.Timeout, functionId).toBeLessThanOrEqual(30);
    }
  });
});

describe('checkout settings', () => {
  it('gives the checkout limits to the function placing checkouts, and to no other', () => {
    const placing = functionServing('POST /checkouts');
    const environment = environmentOf(placing);
    expect(environment).toMatchObject({ CHECKOUT_PAYMENT_WINDOW_SECONDS: '900', CHECKOUT_MAX_UNPAID: '3' });
    expect(checkoutSettings(environment as NodeJS.ProcessEnv)).toEqual(defaultCheckoutSettings);
    const others = resourcesOfType('AWS::Lambda::Function').filter(
      ([functionId]) => functionId !== placing && 'CHECKOUT_MAX_UNPAID' in environmentOf(functionId),
    );
    expect(others).toEqual([]);
  });
});

describe('the alerts topic', () => {
  it('lets CloudWatch alarms of this account publish, as its policy replaces the default one', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });
});

describe('functions', () => {
  it("deploys one function per route handler and workflow task, the fallback, the user pool's two triggers, the table-change fan-out, its seven consumers and the archiver, and the Stripe event processor and webhook worker on their queues", () => {
    const workflowTasks = [orderFulfillment, payoutRun, reviewWindow]
      .map((workflow) => Object.keys(workflow.tasks).length)
      .reduce((sum, count) => sum + count);
    template.resourceCountIs('AWS::Lambda::Function', routeFunctions + workflowTasks + 14);
    // Two readers of the table's stream (the fan-out and the archiver) and two queue consumers.
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    const served = new Set(everyRouteKey.map(functionServing));
    expect(served.size).toBe(routeFunctions + 1);
    expect(routeFunctions).toBeLessThan(routeList.length);
  });

  it('runs every function on Node.js 22 on ARM with source maps enabled', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'marketplace',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it('tells exactly the functions allowed to use the table its name', () => {
    for (const key of everyRouteKey) {
      const functionId = functionServing(key);
      const usesTable = actionsOf(functionId).some((action) => action.startsWith('dynamodb:'));
      expect('TABLE_NAME' in environmentOf(functionId), key).toBe(usesTable);
    }
  });
});

describe('HTTP API', () => {
  it('has one route per route-table entry and a $default route', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routeList.length + 1);
    for (const route of routeList) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey(route) });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'NONE',
    });
  });

  it("invokes every route's function with one role that may invoke exactly those functions", () => {
    const integrations = resourcesOfType('AWS::ApiGatewayV2::Integration').map(([, i]) => i.Properties);
    const invokerRoles = new Set(
      integrations.map((integration) => (integration.CredentialsArn as GetAtt)['Fn::GetAtt'][0]),
    );
    expect(invokerRoles.size).toBe(1);
    const [invokerRole] = [...invokerRoles] as [string];
    expect(resource(invokerRole).Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'apigateway.amazonaws.com' } }],
    });
    const statements = statementsOfRole(invokerRole);
    expect(new Set(statements.flatMap((statement) => statement.Action))).toEqual(
      new Set(['lambda:InvokeFunction']),
    );
    const invocable = statements.flatMap((statement) => [statement.Resource].flat() as GetAtt[]);
    const served = integrations.map((integration) => integration.IntegrationUri as GetAtt);
    expect(invocable).toHaveLength(routeFunctions + 1);
    expect(new Set(invocable.map((arn) => arn['Fn::GetAtt'][0]))).toEqual(
      new Set(served.map((arn) => arn['Fn::GetAtt'][0])),
    );
    const apiGatewayPermissions = resourcesOfType('AWS::Lambda::Permission').filter(
      ([, permission]) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(apiGatewayPermissions).toEqual([]);
  });

  it('serves $default with the fallback handler', () => {
    expect(fallbackHandler).toBe('system/fallback');
    expect(functionServing('$default')).toMatch(/^ApiSystemFallbackFunction/);
  });

  it('puts the JWT authorizer on exactly the non-public routes', () => {
    const jwtRouteKeys = resourcesOfType('AWS::ApiGatewayV2::Route')
      .filter(([, route]) => route.Properties.AuthorizationType === 'JWT')
      .map(([, route]) => route.Properties.RouteKey);
    expect(jwtRouteKeys.sort()).toEqual([...protectedRouteKeys].sort());
  });

  it('trusts ID tokens of the Cognito user pool client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('^AuthUserPoolApiClient') }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: Match.anyValue() }],
          ],
        },
      },
    });
  });

  it('lets browsers on the configured origins call it, with the headers the API uses', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://shop.example'],
        AllowMethods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
        ExposeHeaders: Match.arrayWith(['etag', 'location', 'content-disposition']),
      },
    });
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    expect(api?.Properties.CorsConfiguration.AllowHeaders).toEqual(
      expect.arrayContaining(requestHeadersTheApiReads),
    );
  });

  it('logs access as JSON and throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.serializedJson(
          Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
        ),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('least privilege', () => {
  it('gives the functions of routes that use no table, and the fallback, no table access', () => {
    const tablelessRouteKeys = routeList.filter((route) => !route.uses.table).map(routeKey);
    expect(tablelessRouteKeys).toContain('GET /health');
    for (const key of [...tablelessRouteKeys, '$default']) {
      expect(actionsOf(functionServing(key)).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    }
  });

  it('grants each function exactly the DynamoDB actions its route declares', () => {
    for (const route of routeList.filter((r) => r.uses.table)) {
      const granted = actionsOf(functionServing(routeKey(route))).filter((action) =>
        action.startsWith('dynamodb:'),
      );
      const declared = (route.uses.table ?? []).map((action) => `dynamodb:${action}`);
      expect(new Set(granted), routeKey(route)).toEqual(new Set(declared));
    }
    expect(
      actionsOf(functionServing('GET /listings/{listingId}')).filter((a) => a.startsWith('dynamodb:')),
    ).toEqual(['dynamodb:GetItem']);
  });

  it('lets exactly the routes that declare a workflow start or resume it, and tells them its ARN', () => {
    const arnVariables = [orderFulfillment, payoutRun].map((workflow) =>
      resourceVariables.workflowArn(workflow.name),
    );
    for (const route of routeList) {
      const functionId = functionServing(routeKey(route));
      const granted = actionsOf(functionId).filter((action) => action.startsWith('states:'));
      const declared = (route.uses.workflow?.actions ?? []).flatMap((action) => stepFunctionsActions[action]);
      expect(new Set(granted), routeKey(route)).toEqual(new Set(declared));
      const told = arnVariables.filter((variable) => variable in environmentOf(functionId));
      expect(told, routeKey(route)).toEqual(
        route.uses.workflow ? [resourceVariables.workflowArn(route.uses.workflow.name)] : [],
      );
    }
  });

  it('leaves starting and resuming orders to the stream driver: checkout and order actions have no Step Functions rights', () => {
    const arnVariable = resourceVariables.workflowArn(orderFulfillment.name);
    for (const key of ['POST /checkouts', 'POST /orders/{orderId}/actions/{action}']) {
      const functionId = functionServing(key);
      expect(
        actionsOf(functionId).filter((action) => action.startsWith('states:')),
        key,
      ).toEqual([]);
      expect(arnVariable in environmentOf(functionId), key).toBe(false);
    }
  });

  it("lets each function write only to its area's log group, which no other area's functions share", () => {
    const groupOfArea = new Map<string, string>();
    const handlers = [
      ...routeList.map((route) => [routeKey(route), route.handler] as const),
      ['$default', fallbackHandler] as const,
    ];
    for (const [key, handler] of handlers) {
      const functionId = functionServing(key);
      const { LogGroup } = resource(functionId).Properties.LoggingConfig as { LogGroup: { Ref: string } };
      const area = handler.split('/')[0] ?? '';
      expect(groupOfArea.get(area) ?? LogGroup.Ref, handler).toBe(LogGroup.Ref);
      groupOfArea.set(area, LogGroup.Ref);
      expect(statementsOfRole(roleOf(functionId)), handler).toContainEqual(
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [LogGroup.Ref, 'Arn'] },
        }),
      );
    }
    expect(new Set(groupOfArea.values()).size).toBe(groupOfArea.size);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });
});

describe('outputs', () => {
  it('names the API URL, user pool, client, table and state machines', () => {
    for (const output of [
      'ApiUrl',
      'UserPoolId',
      'UserPoolClientId',
      'TableName',
      'OrderFulfillmentArn',
      'PayoutRunArn',
    ]) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });
});
