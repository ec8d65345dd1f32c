import { describe, expect, it } from 'vitest';
import { sellerKpiProjection } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import { expectAlarmingDeadLetters, streamReaderActions, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { actionsOf, environmentOf, streamConsumerOf } = templateResources(template);
const projection = streamConsumerOf(entities.order, entities.review);

describe('seller KPI projection', () => {
  it('gets the new image of every order and review change, from the oldest record on, with bisection and partial failures', () => {
    const pattern = JSON.stringify({
      dynamodb: { NewImage: { entity: { S: [entities.order, entities.review] } } },
    });
    expect(projection.mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      FilterCriteria: { Filters: [{ Pattern: pattern }] },
    });
  });

  it('reads the stream and may use only the table actions it declares', () => {
    const dynamoActions = actionsOf(projection.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set([
        ...streamReaderActions,
        ...sellerKpiProjection.uses.table.map((action) => `dynamodb:${action}`),
      ]),
    );
    const others = actionsOf(projection.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(projection.functionId)).toBe(true);
  });

  it('sends batches that still fail to an encrypted dead-letter queue that alarms the operators', () => {
    expectAlarmingDeadLetters(template, projection.deadLettersId, 'quality KPIs');
  });
});
