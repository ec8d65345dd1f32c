import { describe, expect, it } from 'vitest';
import { routes, webhookDelivery, webhookDispatcher } from '#functions/routes.ts';
import { expectAlarmingDeadLetters, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { resourcesOfType, resource, actionsOf, environmentOf, tableChangeConsumerOf, functionServing } =
  templateResources(template);
const dispatcher = tableChangeConsumerOf(...webhookDispatcher.entities);
const [queueId] = resourcesOfType('AWS::SQS::Queue')
  .filter(([id]) => /^WebhooksQueue/.test(id))
  .map(([id]) => id);
const workerMappings = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) =>
  JSON.stringify(mapping.Properties.EventSourceArn).includes(queueId ?? '-'),
);
const [[workerMappingId, workerMapping] = ['', { Type: '', Properties: {} }]] = workerMappings;
const workerId = (workerMapping.Properties.FunctionName as { Ref: string } | undefined)?.Ref ?? '';

describe('webhooks', () => {
  it('dispatches from the appended events, the admins’ feed and the users’ copies, to the delivery queue', () => {
    expect(dispatcher.filters).toEqual([
      { dynamodb: { NewImage: { entity: { S: webhookDispatcher.entities } } } },
    ]);
    const actions = actionsOf(dispatcher.functionId);
    expect(actions).toEqual(
      expect.arrayContaining(['sqs:SendMessage', 'dynamodb:Query', 'dynamodb:PutItem']),
    );
    expect(actions).not.toContain('dynamodb:UpdateItem');
    expect(environmentOf(dispatcher.functionId)).toHaveProperty('WEBHOOK_DELIVERIES_QUEUE_URL');
  });

  it('delivers from an encrypted queue, partial failures reported, dead letters after five receives', () => {
    expect(workerMappingId).not.toBe('');
    expect(workerMapping.Properties).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = resource(queueId ?? '');
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    const deadLettersId = (
      queue.Properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string] } }
    ).deadLetterTargetArn['Fn::GetAtt'][0];
    expectAlarmingDeadLetters(template, deadLettersId, 'Webhook attempts failed to run');
    const actions = actionsOf(workerId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(actions)).toEqual(
      new Set(webhookDelivery.uses.table.map((action) => `dynamodb:${action}`)),
    );
    expect(actionsOf(workerId)).toContain('sqs:SendMessage');
    expect(environmentOf(workerId)).toMatchObject({
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,5,300,1800,7200,18000,36000,36000',
      WEBHOOK_ALLOWED_HOSTS: '',
      WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '432000',
    });
  });

  it('lets the routes that send, redeliver and test queue deliveries, and no other route', () => {
    const queueing = [
      routes.sendWebhookTestEvent,
      routes.redeliverWebhookDelivery,
      routes.redeliverWebhookRange,
    ];
    for (const route of queueing) {
      const fn = functionServing(`${route.method} ${route.path}`);
      expect(actionsOf(fn), route.path).toContain('sqs:SendMessage');
      expect(environmentOf(fn), route.path).toHaveProperty('WEBHOOK_DELIVERIES_QUEUE_URL');
    }
    for (const route of [
      routes.rotateWebhookSecret,
      routes.enableWebhookEndpoint,
      routes.listWebhookDeliveries,
    ]) {
      expect(actionsOf(functionServing(`${route.method} ${route.path}`)), route.path).not.toContain(
        'sqs:SendMessage',
      );
    }
  });

  it('tells the route registering endpoints the settings it checks destinations with, and no other route', () => {
    const register = functionServing(`POST ${routes.registerWebhookEndpoint.path}`);
    expect(environmentOf(register)).toMatchObject({ WEBHOOK_ALLOWED_HOSTS: '' });
    const list = functionServing(`GET ${routes.listWebhookEndpoints.path}`);
    expect(environmentOf(list)).not.toHaveProperty('WEBHOOK_ALLOWED_HOSTS');
  });
});

describe('webhook settings given as context', () => {
  const configured = templateResources(
    synthesize({
      deletionProtection: true,
      bundle: false,
      context: {
        webhookRetrySchedule: '0,60,600',
        webhookAllowedHosts: 'hooks.internal.example',
        webhookDisableAfterFailingSeconds: '86400',
      },
    }),
  );

  it('reach the worker and the route registering endpoints', () => {
    const [[worker = ''] = []] = configured
      .resourcesOfType('AWS::Lambda::Function')
      .filter(([id]) => /^WebhooksWorker/.test(id));
    expect(configured.environmentOf(worker)).toMatchObject({
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,60,600',
      WEBHOOK_ALLOWED_HOSTS: 'hooks.internal.example',
      WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '86400',
    });
    const register = configured.functionServing(`POST ${routes.registerWebhookEndpoint.path}`);
    expect(configured.environmentOf(register)).toMatchObject({
      WEBHOOK_ALLOWED_HOSTS: 'hooks.internal.example',
    });
  });
});
