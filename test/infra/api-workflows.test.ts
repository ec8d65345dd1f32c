import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { MarketplaceApi } from '#infra/constructs/api.ts';
import { SearchDomain } from '#infra/constructs/search.ts';
import { MarketplaceTable } from '#infra/constructs/table.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import type { RouteSpec } from '#shared/http/route.ts';
import { cdkContext, templateResources } from './template.ts';

// No route of functions/routes.ts starts or resumes a workflow today (the order workflow is driven from
// the table's stream), but any route may declare one: two small handlers declaring start and signal,
// against a stand-in state machine, keep the API's side of workflow access covered.
const startingRoute: RouteSpec = {
  ...routes.health,
  uses: { workflow: { name: 'order-fulfillment', actions: ['start'] } },
};
const signallingRoute: RouteSpec = {
  ...routes.openApi,
  uses: { workflow: { name: 'order-fulfillment', actions: ['signal'] } },
};
const orderWorkflow = {
  name: 'order-fulfillment',
  stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Shop-order-fulfillment',
};

const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });

function apiStack(id: string, routeList: readonly RouteSpec[]): Stack {
  const stack = new Stack(app, id);
  new MarketplaceApi(stack, 'Api', {
    routes: routeList,
    fallbackHandler: 'system/fallback',
    table: new MarketplaceTable(stack, 'Data', { deletionProtection: false }).table,
    search: new SearchDomain(stack, 'Search', {
      capacity: { dataNodeInstanceType: 't3.small.search', dataNodes: 1, volumeSizeGiB: 10, masterNodes: 0 },
      deletionProtection: false,
    }),
    authorizer: new HttpJwtAuthorizer('Jwt', 'https://issuer.example', { jwtAudience: ['client'] }),
    corsAllowOrigins: ['https://shop.example'],
    workflows: [orderWorkflow],
  });
  return stack;
}

const { functionServing, roleOf, statementsOfRole, environmentOf } = templateResources(
  Template.fromStack(apiStack('Routes', [startingRoute, signallingRoute])),
);

function stepFunctionsStatementsOf(functionId: string) {
  return statementsOfRole(roleOf(functionId)).filter((statement) =>
    [statement.Action].flat().some((action) => action.startsWith('states:')),
  );
}

describe('API routes that use a workflow', () => {
  it('tell the function the state machine ARN', () => {
    for (const route of [startingRoute, signallingRoute]) {
      const functionId = functionServing(`${route.method} ${route.path}`);
      expect(environmentOf(functionId)[resourceVariables.workflowArn('order-fulfillment')]).toBe(
        orderWorkflow.stateMachineArn,
      );
    }
  });

  it('may start executions of that state machine only, when they declare start', () => {
    expect(stepFunctionsStatementsOf(functionServing('GET /health'))).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: orderWorkflow.stateMachineArn }),
    ]);
  });

  it('may resume waiting tasks, and nothing more, when they declare signal', () => {
    const [statement, ...others] = stepFunctionsStatementsOf(functionServing('GET /openapi.json'));
    expect(others).toEqual([]);
    expect(new Set([statement?.Action].flat())).toEqual(
      new Set(['states:SendTaskSuccess', 'states:SendTaskFailure']),
    );
    expect(statement?.Resource).toBe('*');
  });

  it('refuse a workflow the stack does not deploy', () => {
    const payoutRoute: RouteSpec = {
      ...routes.health,
      uses: { workflow: { name: 'payout-run', actions: ['start'] } },
    };
    expect(() => apiStack('Unknown', [payoutRoute])).toThrow(
      'system/health uses the workflow payout-run, which the stack does not deploy',
    );
  });
});
