import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  captureWindowSeconds,
  fieldsSchema,
  maxWaitSeconds,
  type ProcessDefinition,
} from '#shared/domain/order-process.ts';
import { processSchema } from '#shared/domain/process-schema.ts';
import {
  customManufacturing,
  defaultPurchase,
  defaultPurchaseV2,
  processCatalog,
  processIds,
  processOf,
  processRefOf,
  shippedProcesses,
} from '#shared/domain/processes.ts';

type ProcessInput = z.input<typeof processSchema>;
type StepInput = ProcessInput['steps'][number];

const step = (name: string, overrides: Partial<StepInput> = {}): StepInput => ({
  name,
  party: 'seller',
  timeoutSeconds: 60,
  onTimeout: 'cancel-order',
  actions: [{ name: `${name}-done`, outcome: 'next-step' }],
  ...overrides,
});

/** A valid two-step process; each test breaks one thing about it. */
const process = (overrides: Partial<ProcessInput> = {}): ProcessInput => ({
  id: 'test-process',
  version: 1,
  title: 'Test process',
  captureAfter: 'first',
  steps: [step('first'), step('second', { party: 'buyer' })],
  ...overrides,
});

/** The issues zod reports, as path + message, or `valid`. */
function issuesOf(input: unknown) {
  const result = processSchema.safeParse(input);
  return result.success ? 'valid' : result.error.issues.map(({ path, message }) => ({ path, message }));
}

const pathsOf = (input: unknown) => {
  const issues = issuesOf(input);
  return issues === 'valid' ? issues : issues.map((issue) => issue.path);
};

/**
 * What each shipped version holds, pinned: orders placed with a version go on with it, so a change
 * to a shipped process is a new version, with a line of its own here.
 */
const shippedContent: Record<string, string> = {
  'default-purchase@1': '9e1ccac7fbce5b8111be96cc84171876edf49cdc3f7ff348831648f143f50976',
  'custom-manufacturing@1': '50e6203cc8dfe14105fb1a173f6981fd5f40f766408d78ff20399360756376be',
  'default-purchase@2': '50db4e59d7b96b95c8057c3b6d14d71fdaab14a407ff386982d50a149f87bf4f',
};

const digest = (process: ProcessDefinition) =>
  createHash('sha256').update(JSON.stringify(process)).digest('hex');

describe('shipped processes', () => {
  it.each(shippedProcesses)('$id@$version is valid and written out whole, defaults included', (shipped) => {
    expect(processSchema.parse(shipped)).toEqual(shipped);
  });

  it('never change once shipped: each version keeps its content', () => {
    expect(
      Object.fromEntries(
        shippedProcesses.map((shipped) => [`${shipped.id}@${shipped.version}`, digest(shipped)]),
      ),
    ).toEqual(shippedContent);
  });

  it('lists the latest version of each in the catalog by id', () => {
    expect(processIds).toEqual(['default-purchase', 'custom-manufacturing']);
    expect(processCatalog.get('custom-manufacturing')).toBe(customManufacturing);
    expect(processCatalog.get('default-purchase')).toBe(defaultPurchaseV2);
  });

  it('finds the version an order names, and no version never shipped', () => {
    expect(processOf({ id: 'default-purchase', version: 1 })).toBe(defaultPurchase);
    expect(processOf(processRefOf(customManufacturing))).toBe(customManufacturing);
    expect(processOf({ id: 'default-purchase', version: 2 })).toBe(defaultPurchaseV2);
    expect(() => processOf({ id: 'default-purchase', version: 3 })).toThrow(/default-purchase@3/);
  });

  it('names only parties the process has, and captures after an existing step', () => {
    for (const shipped of shippedProcesses) {
      const parties = ['buyer', 'seller', 'admin', ...shipped.providers];
      expect(shipped.steps.map((s) => s.party).every((party) => parties.includes(party))).toBe(true);
      expect(shipped.steps.map((s) => s.name)).toContain(shipped.captureAfter);
    }
  });
});

describe('processSchema rejections', () => {
  it('accepts the base fixture, so each rejection below is caused by its one change', () => {
    expect(issuesOf(process())).toBe('valid');
  });

  it('fills in what a definition leaves out: no providers, no order fields, required fields', () => {
    const parsed = processSchema.parse(
      process({
        steps: [
          step('first', {
            actions: [{ name: 'go', outcome: 'next-step', fields: { note: { type: 'text' } } }],
          }),
        ],
      }),
    );
    expect(parsed.providers).toEqual([]);
    expect(parsed.orderFields).toEqual({});
    expect(parsed.steps[0]?.actions[0]?.fields).toEqual({ note: { type: 'text', required: true } });
  });

  it('rejects a step name used twice, at the second use', () => {
    expect(issuesOf(process({ steps: [step('first'), step('first')] }))).toEqual([
      { path: ['steps', 1, 'name'], message: 'is used twice' },
    ]);
  });

  it('rejects goTo naming an unknown step, at the action outcome', () => {
    const steps = [
      step('first'),
      step('second', { actions: [{ name: 'back', outcome: { goTo: 'zeroth' } }] }),
    ];
    expect(issuesOf(process({ steps }))).toEqual([
      { path: ['steps', 1, 'actions', 0, 'outcome'], message: 'names no step of this process: zeroth' },
    ]);
  });

  it('accepts goTo naming an existing step', () => {
    const steps = [
      step('first'),
      step('second', { actions: [{ name: 'back', outcome: { goTo: 'first' } }] }),
    ];
    expect(issuesOf(process({ steps }))).toBe('valid');
  });

  it('rejects a party that is neither buyer, seller, admin nor a provider', () => {
    expect(pathsOf(process({ steps: [step('first'), step('second', { party: 'courier' })] }))).toEqual([
      ['steps', 1, 'party'],
    ]);
    expect(
      issuesOf(
        process({ providers: ['courier'], steps: [step('first'), step('second', { party: 'courier' })] }),
      ),
    ).toBe('valid');
    expect(issuesOf(process({ steps: [step('first', { party: 'admin' })] }))).toBe('valid');
  });

  describe('response times of a dispute step', () => {
    const dispute = (responseSeconds: Record<string, number>, overrides: Partial<StepInput> = {}) =>
      process({
        providers: ['designer'],
        steps: [step('first'), step('dispute', { party: 'admin', responseSeconds, ...overrides })],
      });

    it('are accepted for buyer, seller and providers, up to the step timeout', () => {
      expect(issuesOf(dispute({ buyer: 30, seller: 60, designer: 1 }))).toBe('valid');
    });

    it('are optional, and never filled in', () => {
      expect(processSchema.parse(process()).steps[1]).not.toHaveProperty('responseSeconds');
    });

    it('name parties of the process only, and never the admin who decides', () => {
      expect(issuesOf(dispute({ courier: 30, admin: 30 }))).toEqual([
        {
          path: ['steps', 1, 'responseSeconds', 'courier'],
          message: 'must be buyer, seller or a provider of this process: courier',
        },
        {
          path: ['steps', 1, 'responseSeconds', 'admin'],
          message: 'must be buyer, seller or a provider of this process: admin',
        },
      ]);
    });

    it('last no longer than the step', () => {
      expect(issuesOf(dispute({ buyer: 61 }))).toEqual([
        {
          path: ['steps', 1, 'responseSeconds', 'buyer'],
          message: '61 s is longer than the step lasts (60 s)',
        },
      ]);
    });

    it('belong to a dispute step (the admin decides) only', () => {
      expect(issuesOf(dispute({ buyer: 30 }, { party: 'seller' }))).toEqual([
        {
          path: ['steps', 1, 'responseSeconds', 'buyer'],
          message: 'only a dispute step (the admin decides) gives response times',
        },
      ]);
    });

    it('are whole seconds, at least one', () => {
      expect(pathsOf(dispute({ buyer: 0, seller: 1.5 }))).toEqual([
        ['steps', 1, 'responseSeconds', 'buyer'],
        ['steps', 1, 'responseSeconds', 'seller'],
      ]);
    });
  });

  it('rejects a provider named like a fixed party', () => {
    expect(issuesOf(process({ providers: ['designer', 'buyer'] }))).toEqual([
      { path: ['providers', 1], message: 'buyer is a party of every order, not a provider' },
    ]);
  });

  it('rejects a provider named twice', () => {
    expect(issuesOf(process({ providers: ['designer', 'designer'] }))).toEqual([
      { path: ['providers', 1], message: 'is named twice' },
    ]);
  });

  it('rejects captureAfter naming no step', () => {
    expect(issuesOf(process({ captureAfter: 'ship' }))).toEqual([
      { path: ['captureAfter'], message: 'names no step of this process: ship' },
    ]);
  });

  it('rejects an action name used twice in one step, but not across steps', () => {
    const twice = step('first', {
      actions: [
        { name: 'go', outcome: 'next-step' },
        { name: 'go', outcome: 'cancel-order' },
      ],
    });
    expect(issuesOf(process({ steps: [twice] }))).toEqual([
      { path: ['steps', 0, 'actions', 1, 'name'], message: 'is used twice' },
    ]);
    const same = { actions: [{ name: 'go', outcome: 'next-step' as const }] };
    expect(issuesOf(process({ steps: [step('first', same), step('second', same)] }))).toBe('valid');
  });

  it.each([
    ['zero', 0],
    ['above the maximum', maxWaitSeconds + 1],
    ['fractional', 1.5],
  ])('rejects a step timeout that is %s', (_, timeoutSeconds) => {
    expect(pathsOf(process({ steps: [step('first'), step('second', { timeoutSeconds })] }))).toEqual([
      ['steps', 1, 'timeoutSeconds'],
    ]);
  });

  it('accepts a step timeout of exactly the maximum', () => {
    expect(
      issuesOf(process({ steps: [step('first'), step('second', { timeoutSeconds: maxWaitSeconds })] })),
    ).toBe('valid');
  });

  it('rejects steps before the capture that together can outlast the authorisation', () => {
    const days = (count: number) => count * 24 * 60 * 60;
    const slow = process({
      captureAfter: 'second',
      steps: [step('first', { timeoutSeconds: days(4) }), step('second', { timeoutSeconds: days(2) + 1 })],
    });
    expect(issuesOf(slow)).toEqual([
      {
        path: ['captureAfter'],
        message: `the steps up to second can last ${days(6) + 1} s, longer than a payment stays authorised (${captureWindowSeconds} s)`,
      },
    ]);
    const inTime = {
      ...slow,
      steps: [step('first', { timeoutSeconds: days(4) }), step('second', { timeoutSeconds: days(2) })],
    };
    expect(issuesOf(inTime)).toBe('valid');
  });

  it('counts the longest branch before the capture, not the steps a branch skips', () => {
    const days = (count: number) => count * 24 * 60 * 60;
    const branching = process({
      captureAfter: 'third',
      steps: [
        step('first', {
          timeoutSeconds: days(1),
          actions: [
            { name: 'quick', outcome: { goTo: 'third' } },
            { name: 'slow', outcome: 'next-step' },
          ],
        }),
        step('second', { timeoutSeconds: days(5) }),
        step('third', { timeoutSeconds: days(1) }),
      ],
    });
    expect(pathsOf(branching)).toEqual([['captureAfter']]);
  });

  it('rejects a loop before the capture, and accepts one after it', () => {
    const loop = { name: 'again', outcome: { goTo: 'first' } };
    const loopBefore = process({ steps: [step('first', { actions: [loop] }), step('second')] });
    expect(issuesOf(loopBefore)).toEqual([
      {
        path: ['captureAfter'],
        message: 'the steps up to first can repeat without end, longer than a payment stays authorised',
      },
    ]);
    const loopAfter = process({ steps: [step('first'), step('second', { actions: [loop] })] });
    expect(issuesOf(loopAfter)).toBe('valid');
  });

  it('rejects names that are not slugs, and unknown keys', () => {
    expect(pathsOf(process({ steps: [step('First')] }))).toContainEqual(['steps', 0, 'name']);
    expect(pathsOf({ ...process(), colour: 'blue' })).toEqual([[]]);
    expect(pathsOf(process({ steps: [] }))).toContainEqual(['steps']);
  });
});

describe('fieldsSchema', () => {
  const schema = fieldsSchema({
    trackingNumber: { type: 'text', required: true },
    carrier: { type: 'text', required: false },
    proofUrl: { type: 'url', required: false },
  });
  const pathsOfData = (data: unknown) => {
    const result = schema.safeParse(data);
    return result.success ? 'valid' : result.error.issues.map((issue) => issue.path);
  };

  it('accepts required fields with or without the optional ones', () => {
    expect(schema.parse({ trackingNumber: 'TN1' })).toEqual({ trackingNumber: 'TN1' });
    expect(schema.parse({ trackingNumber: 'TN1', carrier: 'DHL', proofUrl: 'https://x.example/p' })).toEqual({
      trackingNumber: 'TN1',
      carrier: 'DHL',
      proofUrl: 'https://x.example/p',
    });
  });

  it('trims text and rejects a missing or blank required field', () => {
    expect(schema.parse({ trackingNumber: '  TN1  ' })).toEqual({ trackingNumber: 'TN1' });
    expect(pathsOfData({})).toEqual([['trackingNumber']]);
    expect(pathsOfData({ trackingNumber: '   ' })).toEqual([['trackingNumber']]);
  });

  it('accepts only https URLs', () => {
    expect(pathsOfData({ trackingNumber: 'TN1', proofUrl: 'http://x.example/p' })).toEqual([['proofUrl']]);
    expect(pathsOfData({ trackingNumber: 'TN1', proofUrl: 'ftp://x.example/p' })).toEqual([['proofUrl']]);
    expect(pathsOfData({ trackingNumber: 'TN1', proofUrl: 'not a url' })).toEqual([['proofUrl']]);
  });

  it('rejects a field the spec does not name', () => {
    const result = schema.safeParse({ trackingNumber: 'TN1', note: 'hello' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['note'] }]);
  });

  it('accepts only the empty object when no fields are specified', () => {
    expect(fieldsSchema({}).parse({})).toEqual({});
    expect(fieldsSchema({}).safeParse({ anything: 'x' }).success).toBe(false);
  });

  it('validates the custom-manufacturing order field as a required https URL', () => {
    const orderFields = fieldsSchema(customManufacturing.orderFields);
    expect(orderFields.safeParse({ scanFileUrl: 'https://scans.example/1.stl' }).success).toBe(true);
    expect(orderFields.safeParse({}).success).toBe(false);
    expect(orderFields.safeParse({ scanFileUrl: 'http://scans.example/1.stl' }).success).toBe(false);
  });
});
