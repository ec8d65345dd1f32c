import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { eventPublisher, eventRecorder } from '#functions/routes.ts';
import { synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const {
  actionsOf,
  environmentOf,
  tableChangeConsumerOf,
  tableChangeConsumerRunning,
  statementsOfRole,
  roleOf,
  theOnly,
} = templateResources(template);
const recorder = tableChangeConsumerOf(...eventRecorder.entities);
// The archiver follows the same items.
const publisher = tableChangeConsumerRunning(eventPublisher.handler);

describe('event recorder', () => {
  it('is handed the changes of the entities events come from, in batches, by the fan-out', () => {
    const pattern = (image: string) => ({ dynamodb: { [image]: { entity: { S: eventRecorder.entities } } } });
    expect(recorder).toMatchObject({ batchSize: 100, filters: [pattern('NewImage'), pattern('OldImage')] });
  });

  it('reads orders and the counter, and only puts and updates in the table', () => {
    const dynamoActions = actionsOf(recorder.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set(eventRecorder.uses.table.map((action) => `dynamodb:${action}`)),
    );
    const others = actionsOf(recorder.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(recorder.functionId)).toBe(true);
  });

  it('gives events the retention the deployment sets, 90 days unless told', () => {
    expect(environmentOf(recorder.functionId)).toMatchObject({ EVENT_LOG_RETENTION_SECONDS: '7776000' });
    const shorter = templateResources(
      synthesize({ deletionProtection: true, bundle: false, context: { eventRetentionDays: '30' } }),
    );
    const shorterRecorder = shorter.tableChangeConsumerOf(...eventRecorder.entities);
    expect(shorter.environmentOf(shorterRecorder.functionId)).toMatchObject({
      EVENT_LOG_RETENTION_SECONDS: '2592000',
    });
  });
});

describe('event bus', () => {
  const busId = Object.keys(template.findResources('AWS::Events::EventBus'))[0] ?? '';

  it("is the stack's own bus, archived a year for replays", () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'Marketplace-events' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { source: ['marketplace'] },
      RetentionDays: 365,
    });
  });

  it('gets every event appended to the log from the publisher, which may only put events on it', () => {
    expect(publisher.filters).toEqual([{ dynamodb: { NewImage: { entity: { S: ['MarketplaceEvent'] } } } }]);
    const grants = statementsOfRole(roleOf(publisher.functionId)).filter((statement) =>
      [statement.Action].flat().some((action) => !/^(logs|sqs|dynamodb):/.test(action)),
    );
    expect(grants).toEqual([
      expect.objectContaining({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }),
    ]);
    expect(actionsOf(publisher.functionId).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    expect(environmentOf(publisher.functionId)).toMatchObject({ EVENT_BUS_NAME: { Ref: busId } });
  });

  it('has an example rule sending disputes opened and failed payouts to an encrypted queue', () => {
    const rule = theOnly('AWS::Events::Rule');
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: busId },
      EventPattern: { source: ['marketplace'], 'detail-type': ['dispute.opened', 'payout.failed'] },
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EventsAttentionQueue/), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
          }),
        ]),
      },
    });
  });
});
