import { afterEach, describe, expect, it, vi } from 'vitest';
import { tableChangeConsumers } from '#shared/app/streams/table-change-consumers.ts';
import { ConfigurationError } from '#shared/config/function-resources.ts';

afterEach(() => vi.unstubAllEnvs());

const indexer = {
  name: 'search/index-listings',
  functionName: 'Marketplace-SearchIndexerFunction',
  batchSize: 100,
  filters: [
    { dynamodb: { NewImage: { entity: { S: ['listing'] } } } },
    { dynamodb: { OldImage: { entity: { S: ['listing'] } } } },
  ],
};
const recorder = {
  name: 'events/record-events',
  functionName: 'Marketplace-EventRecorderFunction',
  batchSize: 1000,
  filters: [
    {
      eventName: [{ 'anything-but': ['REMOVE'] }],
      dynamodb: { NewImage: { entity: { S: [{ prefix: 'order' }] } } },
    },
  ],
};

const configured = (value: unknown) => ({
  TABLE_CHANGE_CONSUMERS: typeof value === 'string' ? value : JSON.stringify(value),
});

describe('the table-change consumers of the fan-out', () => {
  it('are read from TABLE_CHANGE_CONSUMERS, a JSON array', () => {
    expect(tableChangeConsumers(configured([indexer, recorder]))).toEqual([indexer, recorder]);
  });

  it('read process.env by default', () => {
    vi.stubEnv('TABLE_CHANGE_CONSUMERS', JSON.stringify([indexer]));
    expect(tableChangeConsumers()).toEqual([indexer]);
  });

  it('name the variable when it is not set', () => {
    expect(() => tableChangeConsumers({})).toThrow(new ConfigurationError(['TABLE_CHANGE_CONSUMERS']));
    expect(() => tableChangeConsumers({})).toThrow(
      'needs TABLE_CHANGE_CONSUMERS, which its environment does not set',
    );
  });

  it('name the variable when it is not JSON', () => {
    expect(() => tableChangeConsumers(configured('[{"name":'))).toThrow(
      'needs TABLE_CHANGE_CONSUMERS, which is not JSON',
    );
  });

  it.each([
    ['no list', indexer, 'expected array'],
    ['an empty list', [], 'expected array to have >=1 items'],
    ['a batch size of 0', [{ ...indexer, batchSize: 0 }], '[0].batchSize'],
    ['a batch size over 1000', [{ ...indexer, batchSize: 1001 }], '[0].batchSize'],
    ['a fractional batch size', [{ ...indexer, batchSize: 2.5 }], '[0].batchSize'],
    ['a batch size as text', [{ ...indexer, batchSize: '100' }], '[0].batchSize'],
    ['no filter', [indexer, { ...recorder, filters: [] }], '[1].filters'],
    ['a filter that is no object', [{ ...indexer, filters: ['listing'] }], '[0].filters[0]'],
    [
      'an unsupported condition',
      [{ ...indexer, filters: [{ eventName: [{ suffix: 'RT' }] }] }],
      '[0].filters[0].eventName',
    ],
    ['no function name', [{ ...indexer, functionName: '' }], '[0].functionName'],
    ['no name', [{ ...indexer, name: undefined }], '[0].name'],
    ['an unknown field', [{ ...indexer, maxBatchingWindow: 1 }], 'maxBatchingWindow'],
    [
      'two consumers of one name',
      [indexer, { ...recorder, name: indexer.name }],
      'Two consumers have the same name',
    ],
  ])('name the variable and what is wrong with %s', (_, value, problem) => {
    const read = () => tableChangeConsumers(configured(value));
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow('needs TABLE_CHANGE_CONSUMERS, which is not a list of consumers');
    expect(read).toThrow(problem);
  });
});
