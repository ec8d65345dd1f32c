import { describe, expect, it } from 'vitest';
import { itemSize, transactionWriteUnits } from '#infra/local/aws/transaction-capacity.ts';

describe('the size DynamoDB bills an item by', () => {
  it('adds the UTF-8 bytes of names and string values', () => {
    expect(itemSize({ PK: { S: 'ab' }, note: { S: 'é' } })).toBe(2 + 2 + 4 + 2);
  });

  it('counts a number by its significant digits, two to a byte, plus one', () => {
    expect(itemSize({ n: { N: '7' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ n: { N: '1000' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '-0.125' } })).toBe(1 + 3);
  });

  it('counts lists and maps with their overhead, and booleans and nulls as a byte', () => {
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(1 + 3 + (2 + 1) + (1 + 1));
    expect(itemSize({ m: { M: { k: { NULL: true } } } })).toBe(1 + 3 + (1 + 1) + 1);
  });
});

describe('the write units of a transaction', () => {
  it('are two per started KB of each item, the larger of before and after, at least two', () => {
    const sized = (bytes: number) => ({ b: { S: 'x'.repeat(bytes - 1) } });
    expect(transactionWriteUnits([{ after: sized(1024) }, { after: sized(1025) }])).toBe(2 + 4);
    expect(transactionWriteUnits([{ before: sized(3000), after: sized(10) }])).toBe(6);
    expect(transactionWriteUnits([{}])).toBe(2);
  });
});
