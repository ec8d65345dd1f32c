import { describe, expect, it } from 'vitest';
import {
  eventArchiver,
  eventPublisher,
  eventRecorder,
  notifier,
  orderWorkflowDriver,
  searchIndexerHandler,
  suspensionEnforcer,
  tableChangeFanOut,
  tableChangeProjections,
  webhookDispatcher,
} from '#functions/routes.ts';
import {
  expectAlarmingDeadLetters,
  type GetAtt,
  streamReaderActions,
  synthesize,
  templateResources,
} from './template.ts';

// Resource properties only, so no function is bundled; notifications on, so that every consumer is there.
const template = synthesize({
  deletionProtection: true,
  bundle: false,
  context: { notificationSender: 'orders@shop.example' },
});
const {
  resource,
  resourcesOfType,
  actionsOf,
  statementsOfRole,
  roleOf,
  streamReaderRunning,
  tableChangeRoutes,
} = templateResources(template);
const fanOut = streamReaderRunning(tableChangeFanOut.handler);
const routes = tableChangeRoutes();
const tableStream = { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'StreamArn'] };

describe('the table-change fan-out', () => {
  it('is one of the two readers of the table stream, the event archiver being the other', () => {
    const readers = resourcesOfType('AWS::Lambda::EventSourceMapping')
      .filter(([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'))
      .map(([id]) => id);
    expect(readers.sort()).toEqual(
      [fanOut.mappingId, streamReaderRunning(eventArchiver.handler).mappingId].sort(),
    );
  });

  it('hands their changes to every consumer but the archiver', () => {
    expect(routes.map((route) => route.name).sort()).toEqual(
      [
        eventRecorder.handler,
        eventPublisher.handler,
        webhookDispatcher.handler,
        searchIndexerHandler,
        orderWorkflowDriver.handler,
        suspensionEnforcer.handler,
        tableChangeProjections.handler,
        notifier.handler,
      ].sort(),
    );
    for (const route of routes) expect(resource(route.functionId).Type).toBe('AWS::Lambda::Function');
  });

  it('reads from the oldest record on, at once, with bisection, partial failures and ten retries', () => {
    expect(fanOut.mapping.Properties).toMatchObject({
      EventSourceArn: tableStream,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
    });
  });

  it('reads only the changes some consumer takes: one filter per image, every entity a consumer takes there', () => {
    const filters = (
      fanOut.mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }
    ).Filters.map(
      (filter) => JSON.parse(filter.Pattern) as { dynamodb: Record<string, { entity: { S: string[] } }> },
    );
    const entitiesIn = (image: string) =>
      new Set(filters.flatMap((filter) => filter.dynamodb[image]?.entity.S ?? []));
    expect(filters.map((filter) => Object.keys(filter.dynamodb))).toEqual([['NewImage'], ['OldImage']]);
    for (const route of routes) {
      for (const pattern of route.filters as { dynamodb: Record<string, { entity: { S: string[] } }> }[]) {
        for (const [image, { entity }] of Object.entries(pattern.dynamodb)) {
          for (const name of entity.S)
            expect(entitiesIn(image), `${route.name}: ${image} ${name}`).toContain(name);
        }
      }
    }
  });

  it('may invoke exactly its consumers, read the stream, and nothing else', () => {
    const invokes = statementsOfRole(roleOf(fanOut.functionId)).filter(
      (statement) => statement.Action === 'lambda:InvokeFunction',
    );
    expect(invokes).toHaveLength(1);
    expect(new Set(invokes[0]?.Resource as GetAtt[])).toEqual(
      new Set(routes.map((route) => ({ 'Fn::GetAtt': [route.functionId, 'Arn'] }))),
    );
    const dynamoActions = actionsOf(fanOut.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(new Set(streamReaderActions));
  });

  it('leaves reading the stream to itself: no consumer may read it', () => {
    for (const route of routes) {
      const readsStream = actionsOf(route.functionId).filter((action) =>
        (streamReaderActions as readonly string[]).includes(action),
      );
      expect(readsStream, route.name).toEqual([]);
    }
  });

  it('waits long enough for its slowest consumer to take a whole batch, one batch of its size after another', () => {
    const timeoutOf = (functionId: string) => resource(functionId).Properties.Timeout as number;
    const longest = Math.max(
      ...routes.map((route) => timeoutOf(route.functionId) * Math.ceil(100 / route.batchSize)),
    );
    expect(timeoutOf(fanOut.functionId)).toBeGreaterThan(longest);
    expect(timeoutOf(fanOut.functionId)).toBeLessThanOrEqual(900);
  });

  it('sends the changes a consumer still fails at to an encrypted dead-letter queue that alarms', () => {
    expectAlarmingDeadLetters(template, fanOut.deadLettersId, 'TableChangeConsumerFailures');
  });
});
