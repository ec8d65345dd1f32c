import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { tableChangeFanOut } from '#functions/routes.ts';
import { handlerModuleMetadata } from '#infra/constructs/handler-function.ts';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import {
  type TableChangeConsumer,
  tableChangeConsumers,
} from '#shared/app/streams/table-change-consumers.ts';
import { resourceVariables, type WorkflowAction } from '#shared/config/function-resources.ts';

export const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

export function synthesize(options: {
  deletionProtection: boolean;
  bundle: boolean;
  /** More `-c name=value` settings. */
  context?: Record<string, string>;
}): Template {
  const app = new App({
    context: {
      ...cdkContext,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      deletionProtection: String(options.deletionProtection),
      corsAllowOrigins: 'https://shop.example',
      sellerOnboardingUrl: 'https://shop.example/seller/payments',
      ...options.context,
    },
  });
  return Template.fromStack(new MarketplaceStack(app, 'Marketplace', deploymentSettings(app)));
}

/** What every bucket of the marketplace's data has: encryption at rest, no public access, one owner. */
export const privateBucketProperties = {
  BucketEncryption: {
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  },
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  },
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
};

/** The IAM actions each declared workflow action must grant, and nothing beyond them. */
export const stepFunctionsActions: Record<WorkflowAction, readonly string[]> = {
  start: ['states:StartExecution'],
  signal: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
};

/** A Step Functions ARN of the stack's account and region, as CDK writes it: `resource` from `:stateMachine:…` on. */
export const statesArn = (resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      resource,
    ],
  ],
});

/** A consumer of the table's changes, as the fan-out hands them: its function's logical id in place of its name. */
export type TableChangeRoute = Omit<TableChangeConsumer, 'functionName'> & { readonly functionId: string };

export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};
export type GetAtt = { 'Fn::GetAtt': [string, string] };
export type Statement = { Action: string | string[]; Resource: unknown };

/** Lookups into one synthesized template, by logical id and by resource type. */
export function templateResources(template: Template) {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const resourcesOfType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  function theOnly(type: string): Resource {
    const [match, ...others] = resourcesOfType(type);
    if (!match || others.length > 0) throw new Error(`Expected exactly one ${type}`);
    return match[1];
  }

  function resource(logicalId: string): Resource {
    const found = resources[logicalId];
    if (!found) throw new Error(`No resource ${logicalId}`);
    return found;
  }

  const roleOf = (functionId: string) => (resource(functionId).Properties.Role as GetAtt)['Fn::GetAtt'][0];

  /** Every statement of the role's own policies and of the policies attached to it, tracing's included. */
  const allStatementsOfRole = (roleId: string) =>
    [
      ...((resource(roleId).Properties.Policies ?? []) as { PolicyDocument: unknown }[]),
      ...[...resourcesOfType('AWS::IAM::Policy'), ...resourcesOfType('AWS::IAM::ManagedPolicy')]
        .map(([, policy]) => policy.Properties)
        .filter((policy) => ((policy.Roles ?? []) as { Ref: string }[]).some((role) => role.Ref === roleId)),
    ].flatMap((policy) => (policy.PolicyDocument as { Statement: Statement[] }).Statement);

  /**
   * The role's statements without the X-Ray writes active tracing adds to every function's role
   * (asserted once for all in observability.test.ts): what the function itself may touch. CDK merges
   * them into the role's other statement on `*`, if it has one.
   */
  const statementsOfRole = (roleId: string) => allStatementsOfRole(roleId).flatMap(withoutTracing);

  /** Every IAM action the function's execution role is allowed. */
  const actionsOf = (functionId: string) =>
    statementsOfRole(roleOf(functionId)).flatMap((statement) => statement.Action);

  const environmentOf = (functionId: string) =>
    (resource(functionId).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

  /** Follows route -> integration -> function and returns the function's logical id. */
  function functionServing(routeKey: string): string {
    const route = resourcesOfType('AWS::ApiGatewayV2::Route').find(
      ([, r]) => r.Properties.RouteKey === routeKey,
    );
    if (!route) throw new Error(`No API route ${routeKey}`);
    const target = route[1].Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    return (resource(integrationId).Properties.IntegrationUri as GetAtt)['Fn::GetAtt'][0];
  }

  /** A stream event source mapping, its function and the dead-letter queue it sends failed batches to. */
  function streamReader([mappingId, mapping]: [string, Resource]) {
    const { OnFailure } = mapping.Properties.DestinationConfig as { OnFailure: { Destination: GetAtt } };
    return {
      mappingId,
      mapping,
      functionId: (mapping.Properties.FunctionName as { Ref: string }).Ref,
      deadLettersId: OnFailure.Destination['Fn::GetAtt'][0],
    };
  }

  const handlerOf = (functionId: string) => resources[functionId]?.Metadata?.[handlerModuleMetadata];

  /** The reader of the table's stream (an event source mapping) running the module `handler` under functions/. */
  function streamReaderRunning(handler: string) {
    const reader = resourcesOfType('AWS::Lambda::EventSourceMapping').find(
      ([, mapping]) => handlerOf((mapping.Properties.FunctionName as { Ref: string }).Ref) === handler,
    );
    if (!reader) throw new Error(`No event source mapping feeds functions/${handler}`);
    return streamReader(reader);
  }

  /**
   * The consumers the table-change fan-out invokes, from its `TABLE_CHANGE_CONSUMERS`: a JSON text
   * joined around each consumer's function name (a `Ref`), read here with the logical id in its place
   * and parsed as the fan-out parses it.
   */
  function tableChangeRoutes(): TableChangeRoute[] {
    const fanOut = streamReaderRunning(tableChangeFanOut.handler);
    const variable = environmentOf(fanOut.functionId)[resourceVariables.tableChangeConsumers] as {
      'Fn::Join': [string, (string | { Ref: string })[]];
    };
    const text = variable['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : part.Ref)).join('');
    return tableChangeConsumers({ [resourceVariables.tableChangeConsumers]: text }).map(
      ({ functionName, ...route }) => ({ ...route, functionId: functionName }),
    );
  }

  function onlyRoute(routes: TableChangeRoute[], what: string): TableChangeRoute {
    const [route, ...others] = routes;
    if (!route || others.length > 0) throw new Error(`Expected exactly one table-change consumer ${what}`);
    return route;
  }

  /** The consumer the fan-out hands changes to items of exactly these entities. */
  const tableChangeConsumerOf = (...entities: readonly string[]) =>
    onlyRoute(
      tableChangeRoutes().filter((route) =>
        JSON.stringify(route.filters).includes(JSON.stringify({ entity: { S: entities } })),
      ),
      `of ${entities}`,
    );

  /** The consumer running the module `handler` under functions/, as the fan-out names it. */
  const tableChangeConsumerRunning = (handler: string) =>
    onlyRoute(
      tableChangeRoutes().filter((route) => route.name === handler),
      `running functions/${handler}`,
    );

  /** The state machine of a workflow (by its name in workflows/), and its task functions by state name. */
  function stateMachineOf(workflowName: string) {
    const [entry, ...others] = resourcesOfType('AWS::StepFunctions::StateMachine').filter(([, machine]) =>
      String(machine.Properties.StateMachineName).endsWith(`-${workflowName}`),
    );
    if (!entry || others.length > 0) throw new Error(`Expected one ${workflowName} state machine`);
    const [stateMachineId, stateMachine] = entry;
    const substitutions = stateMachine.Properties.DefinitionSubstitutions as Record<string, GetAtt>;
    const taskFunctionId = (stateName: string): string => {
      const arn = substitutions[stateName];
      if (!arn) throw new Error(`No substitution for ${stateName} in ${workflowName}`);
      return arn['Fn::GetAtt'][0];
    };
    const roleId = (stateMachine.Properties.RoleArn as GetAtt)['Fn::GetAtt'][0];
    return { stateMachineId, stateMachine, substitutions, taskFunctionId, roleId };
  }

  return {
    resourcesOfType,
    theOnly,
    stateMachineOf,
    resource,
    roleOf,
    allStatementsOfRole,
    statementsOfRole,
    actionsOf,
    environmentOf,
    functionServing,
    streamReaderRunning,
    tableChangeRoutes,
    tableChangeConsumerOf,
    tableChangeConsumerRunning,
  };
}

/** What active tracing lets a function's role do: send its traces to X-Ray. */
export const tracingActions = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] as const;

function withoutTracing(statement: Statement): Statement[] {
  if (statement.Resource !== '*' || !Array.isArray(statement.Action)) return [statement];
  const actions = statement.Action.filter(
    (action) => !(tracingActions as readonly string[]).includes(action),
  );
  if (actions.length === statement.Action.length) return [statement];
  const [only, ...more] = actions;
  if (only === undefined) return [];
  return [{ ...statement, Action: more.length === 0 ? only : actions }];
}

/** What a reader of the table's stream (the fan-out, the archiver) may do to read it. */
export const streamReaderActions = [
  'dynamodb:ListStreams',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

/** The stream consumer's dead-letter queue is encrypted, and its first message alarms the operators. */
export function expectAlarmingDeadLetters(
  template: Template,
  deadLettersId: string,
  description: string,
): void {
  expect(templateResources(template).resource(deadLettersId)).toMatchObject({
    Type: 'AWS::SQS::Queue',
    Properties: { SqsManagedSseEnabled: true },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId, 'QueueName'] } }],
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    AlarmDescription: Match.stringLikeRegexp(description),
  });
}
