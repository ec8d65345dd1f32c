import { describe, expect, it } from 'vitest';
import { eventRecorder } from '#functions/routes.ts';
import { expectAlarmingDeadLetters, streamReaderActions, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { actionsOf, environmentOf, streamConsumerOf } = templateResources(template);
const recorder = streamConsumerOf(...eventRecorder.entities);

describe('event recorder', () => {
  it("gets the changes of the entities events come from, in batches, from the stream's oldest record on", () => {
    const pattern = (image: string) =>
      JSON.stringify({ dynamodb: { [image]: { entity: { S: eventRecorder.entities } } } });
    expect(recorder.mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      FilterCriteria: { Filters: [{ Pattern: pattern('NewImage') }, { Pattern: pattern('OldImage') }] },
    });
  });

  it('reads the stream, reads orders and the counter, and only puts and updates in the table', () => {
    const dynamoActions = actionsOf(recorder.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set([...streamReaderActions, ...eventRecorder.uses.table.map((action) => `dynamodb:${action}`)]),
    );
    const others = actionsOf(recorder.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(recorder.functionId)).toBe(true);
  });

  it('sends batches that still fail to an encrypted dead-letter queue that alarms the operators', () => {
    expectAlarmingDeadLetters(template, recorder.deadLettersId, 'did not reach the event log');
  });
});
