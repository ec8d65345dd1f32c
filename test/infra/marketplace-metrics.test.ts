import { describe, expect, it } from 'vitest';
import { tableChangeProjections } from '#functions/routes.ts';
import { synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { actionsOf, environmentOf, tableChangeConsumerOf, functionServing } = templateResources(template);
const projector = tableChangeConsumerOf(...tableChangeProjections.entities);

describe('the projector of operator metrics and seller KPIs', () => {
  it('is handed every new image of ledger transactions, orders, payout lines and reviews', () => {
    expect(projector).toMatchObject({
      batchSize: 100,
      filters: [{ dynamodb: { NewImage: { entity: { S: tableChangeProjections.entities } } } }],
    });
  });

  it('lets the projector use only the table actions it declares, and nothing else', () => {
    const dynamoActions = actionsOf(projector.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set(tableChangeProjections.uses.table.map((action) => `dynamodb:${action}`)),
    );
    const others = actionsOf(projector.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(projector.functionId)).toBe(true);
  });

  it('lets the route only query the table', () => {
    const route = functionServing('GET /admin/metrics');
    expect(actionsOf(route).filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
  });
});
