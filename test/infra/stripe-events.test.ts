import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { orderWorkflowDriver, routeList, routes, stripeEventProcessing } from '#functions/routes.ts';
import { stripeEventMaxReceiveCount } from '#infra/constructs/stripe-events.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { entities } from '#shared/store/table.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import type { WorkflowTask } from '#workflows/workflow.ts';
import { expectAlarmingDeadLetters, type GetAtt, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const {
  resourcesOfType,
  theOnly,
  resource,
  roleOf,
  statementsOfRole,
  actionsOf,
  environmentOf,
  functionServing,
  stateMachineOf,
  tableChangeConsumerOf,
} = templateResources(template);

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string): GetAtt => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

// Of the queues with a dead-letter queue (the Stripe events' and the webhook deliveries'), this construct's.
const [queueEntry, ...otherQueues] = resourcesOfType('AWS::SQS::Queue').filter(
  ([id, queue]) => queue.Properties.RedrivePolicy && id.startsWith('StripeEvents'),
);
if (!queueEntry || otherQueues.length > 0)
  throw new Error('Expected one Stripe events queue with a dead-letter queue');
const [queueId, queue] = queueEntry;
const { deadLetterTargetArn, maxReceiveCount } = queue.Properties.RedrivePolicy as {
  deadLetterTargetArn: GetAtt;
  maxReceiveCount: number;
};
const deadLettersId = deadLetterTargetArn['Fn::GetAtt'][0];

const [mappingEntry, ...otherQueueMappings] = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(
  ([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn) === JSON.stringify(arnOf(queueId)),
);
if (!mappingEntry || otherQueueMappings.length > 0) throw new Error('Expected one consumer of the queue');
const [, mapping] = mappingEntry;
const processorId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
const webhookId = functionServing(
  `${routes.receiveStripeWebhook.method} ${routes.receiveStripeWebhook.path}`,
);

const secretId = resourcesOfType('AWS::SecretsManager::Secret')[0]?.[0] ?? 'none';

describe('Stripe event queue', () => {
  it('is encrypted, refuses plain HTTP and dead-letters a message after the last receive', () => {
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(maxReceiveCount).toBe(stripeEventMaxReceiveCount);
    for (const queueWithPolicy of [queueId, deadLettersId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queueWithPolicy)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('hides a received message for at least six times the processor timeout', () => {
    const timeout = resource(processorId).Properties.Timeout as number;
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('alarms the operators on the first dead-lettered event, saying how to redrive it', () => {
    expectAlarmingDeadLetters(template, deadLettersId, 'redrive the dead-letter queue');
  });

  it('feeds the processor in batches whose failures are reported per message', () => {
    expect(mapping.Properties).toMatchObject({
      FunctionName: ref(processorId),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resource(processorId).Properties.Handler).toBe('index.handler');
    expect(actionsOf(processorId)).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
  });

  it('gives the processor the table actions it declares', () => {
    const granted = actionsOf(processorId).filter((action) => action.startsWith('dynamodb:'));
    const declared = (stripeEventProcessing.uses.table ?? []).map((action) => `dynamodb:${action}`);
    expect(new Set(granted)).toEqual(new Set(declared));
  });
});

describe('Stripe webhook route', () => {
  it('is public: Stripe signs its deliveries and carries no token', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhooks/stripe',
      AuthorizationType: 'NONE',
    });
  });

  it('may send to the queue, whose URL it is told, and receive nothing from it', () => {
    expect(environmentOf(webhookId)[resourceVariables.queueUrl(stripeEventProcessing.queue)]).toEqual(
      ref(queueId),
    );
    const sqsStatements = statementsOfRole(roleOf(webhookId)).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('sqs:')),
    );
    expect(sqsStatements).toEqual([expect.objectContaining({ Resource: arnOf(queueId) })]);
    const sqsActions = sqsStatements.flatMap((statement) => statement.Action);
    expect(sqsActions).toContain('sqs:SendMessage');
    expect(sqsActions).not.toContain('sqs:ReceiveMessage');
    expect(sqsActions).not.toContain('sqs:DeleteMessage');
  });
});

describe('Stripe secret', () => {
  it('is created as the JSON the functions expect, for the operator to fill in, and named in an output', () => {
    const secret = theOnly('AWS::SecretsManager::Secret');
    expect(JSON.parse(secret.Properties.SecretString as string)).toEqual({
      secretKey: '',
      webhookSecret: '',
      connectWebhookSecret: '',
    });
    // Where npm run configure -- stripe finds the secret, in the outputs file cdk deploy writes.
    template.hasOutput('StripeSecretArn', {
      Value: ref(secretId),
      Description: Match.stringLikeRegexp('npm run configure -- stripe'),
    });
  });

  it('is readable by exactly the functions that declare uses.stripe, which are told its ARN', () => {
    const declaringStripe = new Set([
      ...routeList
        .filter((route) => route.uses.stripe)
        .map((route) => functionServing(`${route.method} ${route.path}`)),
      ...[orderFulfillment, payoutRun].flatMap((workflow) =>
        Object.entries<WorkflowTask>(workflow.tasks)
          .filter(([, task]) => task.uses.stripe)
          .map(([stateName]) => stateMachineOf(workflow.name).taskFunctionId(stateName)),
      ),
      processorId,
      ...(orderWorkflowDriver.uses.stripe ? [tableChangeConsumerOf(entities.order).functionId] : []),
    ]);
    expect(declaringStripe).toContain(webhookId);

    for (const [functionId] of resourcesOfType('AWS::Lambda::Function')) {
      const secretStatements = statementsOfRole(roleOf(functionId)).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );
      const expected = declaringStripe.has(functionId);
      expect(secretStatements.length > 0, functionId).toBe(expected);
      for (const statement of secretStatements) expect(statement.Resource, functionId).toEqual(ref(secretId));
      const { Environment } = resource(functionId).Properties as {
        Environment?: { Variables: Record<string, unknown> };
      };
      expect(Environment?.Variables[resourceVariables.stripeSecretArn], functionId).toEqual(
        expected ? ref(secretId) : undefined,
      );
    }
  });

  it('is read by the health check, which may read that secret and touch nothing else', () => {
    const health = functionServing(`${routes.health.method} ${routes.health.path}`);
    expect(environmentOf(health)).toMatchObject({
      [resourceVariables.stripeSecretArn]: ref(secretId),
      // Health names sellerOnboardingUrl as missing when these are not set.
      SELLER_ONBOARDING_RETURN_URL: 'https://shop.example/seller/payments/return',
    });
    expect(statementsOfRole(roleOf(health))).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: ref(secretId),
      }),
    );
    const outsideLogs = actionsOf(health).filter((action) => !action.startsWith('logs:'));
    expect(new Set(outsideLogs)).toEqual(
      new Set(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']),
    );
  });

  it('tells the onboarding route where Stripe sends sellers back, from the context', () => {
    const onboarding = functionServing(
      `${routes.startPaymentsOnboarding.method} ${routes.startPaymentsOnboarding.path}`,
    );
    expect(resource(onboarding).Properties.Environment).toMatchObject({
      Variables: {
        SELLER_ONBOARDING_RETURN_URL: 'https://shop.example/seller/payments/return',
        SELLER_ONBOARDING_REFRESH_URL: 'https://shop.example/seller/payments/refresh',
      },
    });
  });
});
