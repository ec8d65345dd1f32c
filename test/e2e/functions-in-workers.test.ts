import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutAction } from '#infra/local/aws/role-policies.ts';
import type { CloudFormationTemplate } from '#infra/local/aws/template-references.ts';
import { assemblyTemplate, synthesizedAssembly, synthesizedTemplate } from '#infra/local/cloud-assembly.ts';
import { TestApi } from '../support/api.ts';
import { runOps } from '../support/ops.ts';
import { eurBalanceOf, sellerWithEarnings, settledRun, startRun } from '../support/payouts.ts';

/** The function serving `GET /sellers/me/listings`, which these stacks run without its Query grant. */
const deprivedHandler = 'catalog/list-my-listings';

const functionServing = (template: CloudFormationTemplate, handler: string) =>
  Object.entries(template.Resources).find(
    ([, resource]) => resource.Metadata?.['marketplace:handler'] === handler,
  )?.[0] ?? '';

const modes = [
  {
    name: 'the bundles cdk deploy ships (npm start -- --artifacts)',
    start: async () => {
      const assembly = await synthesizedAssembly();
      return { template: await assemblyTemplate(assembly), options: { artifacts: assembly } };
    },
  },
  {
    name: 'the sources (npm start -- --isolate)',
    start: async () => ({ template: await synthesizedTemplate(), options: { isolate: true } }),
  },
];

describe.each(modes)(
  '$name, each function in a worker with its template environment and credentials',
  ({ start }) => {
    let api: TestApi;
    let deprivedFunction: string;

    beforeAll(async () => {
      const { template, options } = await start();
      deprivedFunction = functionServing(template, deprivedHandler);
      api = await TestApi.start({
        ...options,
        policies: (policies) => withoutAction(policies, deprivedFunction, 'dynamodb:Query'),
      });
    }, 900_000);
    afterAll(() => api?.stop());

    it('take a seller from onboarding through a sale to a payout run that pays them', async () => {
      const buyer = await api.token('worker-buyer', 'buyer');
      const seller = await sellerWithEarnings(api, buyer, 4499);
      expect(seller.available).toBeGreaterThan(0);

      const finance = await api.token('worker-finance', 'finance');
      const started = await startRun(api, finance, { currency: 'EUR' });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const run = await settledRun(api, finance, started.body.runId, 60_000);
      expect(run).toMatchObject({ status: 'completed', progress: { paid: 1, failed: 0 } });
      expect(await eurBalanceOf(api, seller.token)).toMatchObject({
        available: 0,
        paidOut: seller.available,
      });
      expect(api.stack.aws.denials()).toEqual([]);
      // Each function the flow reaches starts cold: from TypeScript, up to a second or so each.
    }, 120_000);

    it('pass the post-deploy smoke check, run as the operator runs it', async () => {
      const buyer = await api.token('worker-smoke', 'buyer');
      const smoke = await runOps('smoke', ['--api', api.stack.url, '--origin', 'https://shop.example'], {
        env: { ...process.env, MARKETPLACE_TOKEN: buyer },
      });
      expect(smoke.code, smoke.output).toBe(0);
      expect(smoke.lines).toHaveLength(7);
      expect(api.stack.aws.denials()).toEqual([]);
    }, 60_000);

    it('deny a call the function’s role does not grant, as AWS does', async () => {
      const seller = await api.token('worker-lister', 'seller');
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
  },
);
