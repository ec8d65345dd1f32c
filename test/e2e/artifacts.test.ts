import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutAction } from '#infra/local/aws/role-policies.ts';
import { assemblyTemplate, synthesizedAssembly } from '#infra/local/cloud-assembly.ts';
import { TestApi } from '../support/api.ts';
import { eurBalanceOf, sellerWithEarnings, settledRun, startRun } from '../support/payouts.ts';

/** The function serving `GET /sellers/me/listings`, which this stack runs without its Query grant. */
const deprivedHandler = 'catalog/list-my-listings';

let api: TestApi;
let deprivedFunction: string;

beforeAll(async () => {
  const assembly = await synthesizedAssembly();
  const template = await assemblyTemplate(assembly);
  const [functionId] = Object.entries(template.Resources).find(
    ([, resource]) => resource.Metadata?.['marketplace:handler'] === deprivedHandler,
  ) ?? [''];
  deprivedFunction = functionId;
  api = await TestApi.start({
    artifacts: assembly,
    policies: (policies) => withoutAction(policies, deprivedFunction, 'dynamodb:Query'),
  });
}, 900_000);
afterAll(() => api?.stop());

describe('the bundles cdk deploy ships, run locally each in a worker with its template environment', () => {
  it('take a seller from onboarding through a sale to a payout run that pays them', async () => {
    const buyer = await api.token('artifact-buyer', 'buyer');
    const seller = await sellerWithEarnings(api, buyer, 4499);
    expect(seller.available).toBeGreaterThan(0);

    const finance = await api.token('artifact-finance', 'finance');
    const started = await startRun(api, finance, { currency: 'EUR' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const run = await settledRun(api, finance, started.body.runId, 60_000);
    expect(run).toMatchObject({ status: 'completed', progress: { paid: 1, failed: 0 } });
    expect(await eurBalanceOf(api, seller.token)).toMatchObject({ available: 0, paidOut: seller.available });
    expect(api.stack.aws.denials()).toEqual([]);
  });

  it('deny a call the function’s role does not grant, as AWS does', async () => {
    const seller = await api.token('artifact-lister', 'seller');
    const listings = await api.call('GET', '/sellers/me/listings', { token: seller });
    expect(listings.status).toBe(500);
    expect(api.stack.aws.denials()).toEqual([
      {
        accessKeyId: deprivedFunction,
        action: 'dynamodb:Query',
        resource: expect.stringMatching(/:table\//),
      },
    ]);
  });
});
