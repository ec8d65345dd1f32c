import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransactionPlan } from '#shared/store/transaction.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable();
  for (const [id, stock] of [
    ['a', 5],
    ['b', 0],
    ['c', 1],
    ['d', 2],
  ] as const) {
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: `ITEM#${id}`, SK: 'ITEM', stock } }),
    );
  }
});

const take = (id: string, quantity: number) => ({
  Update: {
    TableName: table.tableName,
    Key: { PK: `ITEM#${id}`, SK: 'ITEM' },
    UpdateExpression: 'SET stock = stock - :quantity',
    ConditionExpression: 'stock >= :quantity',
    ExpressionAttributeValues: { ':quantity': quantity },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

const claim = (key: string) => ({
  Put: {
    TableName: table.tableName,
    Item: { PK: `CLAIM#${key}`, SK: 'CLAIM' },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

describe('TransactionPlan', () => {
  it('writes every action and answers nothing when all conditions hold', async () => {
    const plan = new TransactionPlan<'claim' | 'stock'>()
      .add('claim', claim('first'))
      .add('stock', take('a', 1));
    expect(plan.size).toBe(2);
    expect(await plan.write(table.client)).toBeUndefined();
  });

  it('tells which named actions failed, with their position among their name and the item as it was', async () => {
    const cancelled = await new TransactionPlan<'claim' | 'stock'>()
      .add('claim', claim('second'))
      .add('stock', take('a', 1), take('b', 1), take('c', 1), take('d', 9))
      .write(table.client);
    expect(cancelled?.has('claim')).toBe(false);
    expect(cancelled?.has('stock')).toBe(true);
    expect(cancelled?.failedAt('stock')).toEqual([
      { position: 1, current: { PK: 'ITEM#b', SK: 'ITEM', stock: 0 } },
      { position: 3, current: { PK: 'ITEM#d', SK: 'ITEM', stock: 2 } },
    ]);
  });

  it('names a failed claim', async () => {
    const cancelled = await new TransactionPlan<'claim' | 'stock'>()
      .add('stock', take('a', 1))
      .add('claim', claim('first'))
      .write(table.client);
    expect(cancelled?.has('claim')).toBe(true);
    expect(cancelled?.failedAt('claim')).toEqual([{ position: 0, current: undefined }]);
    expect(cancelled?.has('stock')).toBe(false);
    expect(cancelled?.conflict).toBe(false);
    expect(cancelled?.unexplained()).toBe(cancelled?.error);
  });

  describe('of one write', () => {
    /** The commands the client sends while `run` runs. */
    async function sentWhile(run: () => Promise<unknown>): Promise<string[]> {
      const sent: string[] = [];
      const name = 'recordCommandNames';
      table.client.middlewareStack.add(
        (next, context) => (args) => {
          sent.push(context.commandName ?? '');
          return next(args);
        },
        { step: 'initialize', name },
      );
      try {
        await run();
      } finally {
        table.client.middlewareStack.remove(name);
      }
      return sent;
    }

    it('sends the write alone, at half the capacity of a transaction', async () => {
      const sent = await sentWhile(async () => {
        expect(
          await new TransactionPlan<'stock'>().add('stock', take('a', 1)).write(table.client),
        ).toBeUndefined();
      });
      expect(sent).toEqual(['UpdateItemCommand']);
    });

    it('tells a failed condition by name with the item as it was, as a transaction does', async () => {
      let cancelled: Awaited<ReturnType<TransactionPlan<'stock'>['write']>>;
      const sent = await sentWhile(async () => {
        cancelled = await new TransactionPlan<'stock'>().add('stock', take('c', 5)).write(table.client);
      });
      expect(sent).toEqual(['UpdateItemCommand']);
      expect(cancelled?.failedAt('stock')).toEqual([
        { position: 0, current: { PK: 'ITEM#c', SK: 'ITEM', stock: 1 } },
      ]);
      expect(cancelled?.conflict).toBe(false);
      expect(
        (await new TransactionPlan<'claim'>().add('claim', claim('first')).write(table.client))?.has('claim'),
      ).toBe(true);
    });

    it('keeps a lone condition check a transaction: it writes nothing of its own', async () => {
      const check = { ConditionCheck: { ...take('a', 1).Update, UpdateExpression: undefined } };
      const sent = await sentWhile(() =>
        new TransactionPlan<'check'>().add('check', check).write(table.client),
      );
      expect(sent).toEqual(['TransactWriteItemsCommand']);
    });
  });
});
