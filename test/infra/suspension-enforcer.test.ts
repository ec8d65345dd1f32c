import { describe, expect, it } from 'vitest';
import { suspensionEnforcer } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import { expectAlarmingDeadLetters, streamReaderActions, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { actionsOf, environmentOf, streamConsumerOf } = templateResources(template);
const enforcer = streamConsumerOf(entities.userSuspension);

describe('suspension enforcer', () => {
  it('gets every suspension put and deleted, from the oldest record on, with bisection and partial failures', () => {
    const pattern = (image: string) =>
      JSON.stringify({ dynamodb: { [image]: { entity: { S: [entities.userSuspension] } } } });
    expect(enforcer.mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      FilterCriteria: { Filters: [{ Pattern: pattern('NewImage') }, { Pattern: pattern('OldImage') }] },
    });
  });

  it('reads the stream and only reads suspensions, queries listings and updates them in the table', () => {
    const dynamoActions = actionsOf(enforcer.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set([
        ...streamReaderActions,
        ...suspensionEnforcer.uses.table.map((action) => `dynamodb:${action}`),
      ]),
    );
    // Besides the table, only its logs and the dead-letter queue it sends failed batches to.
    const others = actionsOf(enforcer.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(enforcer.functionId)).toBe(true);
  });

  it('sends batches that still fail to an encrypted dead-letter queue that alarms the operators', () => {
    expectAlarmingDeadLetters(template, enforcer.deadLettersId, 'may still be on sale');
  });
});
