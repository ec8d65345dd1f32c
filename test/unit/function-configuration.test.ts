import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  assertConfigured,
  ConfigurationError,
  requiredVariable,
  requiredVariables,
} from '#shared/config/function-resources.ts';
import { onFirstCall, onFirstUse } from '#shared/config/on-first-use.ts';

afterEach(() => vi.unstubAllEnvs());

describe('function configuration', () => {
  it('requires a variable for each declared resource, and none for what is not declared', () => {
    expect(requiredVariables({})).toEqual([]);
    expect(
      requiredVariables({
        table: ['GetItem'],
        workflow: { name: 'payout-run', actions: ['start'] },
        queue: { name: 'stripe-events', actions: ['send'] },
        stripe: true,
        itemLists: 'write',
        tableChangeConsumers: 'invoke',
      }),
    ).toEqual([
      'TABLE_NAME',
      'PAYOUT_RUN_WORKFLOW_ARN',
      'STRIPE_EVENTS_QUEUE_URL',
      'STRIPE_SECRET_ARN',
      'ITEM_LIST_BUCKET',
      'TABLE_CHANGE_CONSUMERS',
    ]);
  });

  it('names every missing variable, the function and its module at init', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Marketplace-ApiPayoutsStartPayoutRun');
    const uses = { table: ['PutItem'], workflow: { name: 'payout-run', actions: ['start'] } } as const;
    expect(() => assertConfigured('payouts/start-payout-run', uses, { TABLE_NAME: 'marketplace' })).toThrow(
      new ConfigurationError(['PAYOUT_RUN_WORKFLOW_ARN'], 'payouts/start-payout-run'),
    );
    expect(() => assertConfigured('payouts/start-payout-run', uses, {})).toThrow(
      'Marketplace-ApiPayoutsStartPayoutRun (functions/payouts/start-payout-run) needs TABLE_NAME, ' +
        'PAYOUT_RUN_WORKFLOW_ARN, which its environment does not set',
    );
    expect(() =>
      assertConfigured('payouts/start-payout-run', uses, {
        TABLE_NAME: 'marketplace',
        PAYOUT_RUN_WORKFLOW_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:PayoutRun',
      }),
    ).not.toThrow();
  });

  it('reads a required variable or says which one is missing', () => {
    expect(requiredVariable('TABLE_NAME', { TABLE_NAME: 'marketplace' })).toBe('marketplace');
    expect(() => requiredVariable('TABLE_NAME', { TABLE_NAME: '' })).toThrow('needs TABLE_NAME');
  });
});

describe('onFirstUse', () => {
  it('makes nothing until a member is used, then makes it once', () => {
    const create = vi.fn(() => ({
      count: 1,
      next() {
        return this.count + 1;
      },
    }));
    const lazy = onFirstUse(create);
    expect(create).not.toHaveBeenCalled();
    expect(lazy.next()).toBe(2);
    expect(lazy.count).toBe(1);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('fails at first use, not at load, when making it fails', () => {
    const lazy = onFirstUse(() => ({ queueUrl: requiredVariable('NOT_SET_ANYWHERE', {}) }));
    expect(() => lazy.queueUrl).toThrow('needs NOT_SET_ANYWHERE');
  });
});

describe('onFirstCall', () => {
  interface Counter {
    next(step: number): Promise<number>;
  }

  it('makes nothing until a method is called, then makes it once for every call', async () => {
    const create = vi.fn(async (): Promise<Counter> => {
      let count = 0;
      return {
        async next(step) {
          count += step;
          return count;
        },
      };
    });
    const lazy = onFirstCall(create);
    expect(create).not.toHaveBeenCalled();
    expect(await Promise.all([lazy.next(1), lazy.next(2)])).toEqual([1, 3]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('makes it again at the next call when making it failed, as when the secret was not filled in yet', async () => {
    let filledIn = false;
    const lazy = onFirstCall(async (): Promise<Counter> => {
      if (!filledIn) throw new Error('the secret lacks secretKey');
      return { next: async (step) => step };
    });
    await expect(lazy.next(1)).rejects.toThrow('the secret lacks secretKey');
    filledIn = true;
    expect(await lazy.next(5)).toBe(5);
  });

  it('is no thenable, so awaiting the port itself does not call into it', async () => {
    const create = vi.fn(async (): Promise<Counter> => ({ next: async (step) => step }));
    const lazy = onFirstCall(create);
    expect(await Promise.resolve(lazy)).toBe(lazy);
    expect(create).not.toHaveBeenCalled();
  });
});
