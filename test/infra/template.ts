import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { handlerModuleMetadata } from '#infra/constructs/handler-function.ts';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import type { WorkflowAction } from '#shared/config/function-resources.ts';

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
  function streamConsumer([mappingId, mapping]: [string, Resource]) {
    const { OnFailure } = mapping.Properties.DestinationConfig as { OnFailure: { Destination: GetAtt } };
    return {
      mappingId,
      mapping,
      functionId: (mapping.Properties.FunctionName as { Ref: string }).Ref,
      deadLettersId: OnFailure.Destination['Fn::GetAtt'][0],
    };
  }

  /**
   * The function the table's stream feeds with changes to items of exactly these entities, its event
   * source mapping and the dead-letter queue the mapping sends failed batches to.
   */
  function streamConsumerOf(...entities: readonly string[]) {
    const entityPattern = JSON.stringify({ entity: { S: entities } });
    const consumers = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) =>
      (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] } | undefined)?.Filters.some(
        (filter) => filter.Pattern.includes(entityPattern),
      ),
    );
    const [consumer, ...others] = consumers;
    if (!consumer || others.length > 0)
      throw new Error(`Expected exactly one stream consumer of ${entities}`);
    return streamConsumer(consumer);
  }

  /** The stream consumer running the module `handler` under functions/, as streamConsumerOf finds it. */
  function streamConsumerRunning(handler: string) {
    const consumer = resourcesOfType('AWS::Lambda::EventSourceMapping').find(
      ([, mapping]) =>
        resources[(mapping.Properties.FunctionName as { Ref: string }).Ref]?.Metadata?.[
          handlerModuleMetadata
        ] === handler,
    );
    if (!consumer) throw new Error(`No stream consumer runs functions/${handler}`);
    return streamConsumer(consumer);
  }

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
    streamConsumerOf,
    streamConsumerRunning,
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

/** What every stream consumer may do to read the table's stream, besides its own table actions. */
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
