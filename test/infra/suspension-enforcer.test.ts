import { describe, expect, it } from 'vitest';
import { suspensionEnforcer } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import { synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const { actionsOf, environmentOf, tableChangeConsumerOf } = templateResources(template);
const enforcer = tableChangeConsumerOf(entities.userSuspension);

describe('suspension enforcer', () => {
  it('is handed every suspension put and deleted by the fan-out', () => {
    const pattern = (image: string) => ({
      dynamodb: { [image]: { entity: { S: [entities.userSuspension] } } },
    });
    expect(enforcer).toMatchObject({ batchSize: 10, filters: [pattern('NewImage'), pattern('OldImage')] });
  });

  it('only reads suspensions, queries listings and updates them in the table', () => {
    const dynamoActions = actionsOf(enforcer.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set(suspensionEnforcer.uses.table.map((action) => `dynamodb:${action}`)),
    );
    // Besides the table, only its logs.
    const others = actionsOf(enforcer.functionId).filter((action) => !action.startsWith('dynamodb:'));
    expect(others.filter((action) => !action.startsWith('logs:'))).toEqual([]);
    expect('TABLE_NAME' in environmentOf(enforcer.functionId)).toBe(true);
  });
});
