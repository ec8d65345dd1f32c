import { beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '#functions/routes/admin.ts';
import { catalogRoutes } from '#functions/routes/catalog.ts';
import { disputeRoutes } from '#functions/routes/disputes.ts';
import { orderRoutes } from '#functions/routes/orders.ts';
import { paymentRoutes } from '#functions/routes/payments.ts';
import { payoutRoutes } from '#functions/routes/payouts.ts';
import { sellerRoutes } from '#functions/routes/sellers.ts';
import { systemRoutes } from '#functions/routes/system.ts';
import type { RouteSpec } from '#shared/http/route.ts';
import {
  bundleDeployedFunctions,
  deployedFunctions,
  entryOf,
  type FunctionBundles,
} from '../support/deployed-functions.ts';

/** Each area's route module, by the routes it defines. */
const areas: Readonly<Record<string, Readonly<Record<string, RouteSpec>>>> = {
  'functions/routes/system.ts': systemRoutes,
  'functions/routes/sellers.ts': sellerRoutes,
  'functions/routes/catalog.ts': catalogRoutes,
  'functions/routes/orders.ts': orderRoutes,
  'functions/routes/disputes.ts': disputeRoutes,
  'functions/routes/payouts.ts': payoutRoutes,
  'functions/routes/admin.ts': adminRoutes,
  'functions/routes/payments.ts': paymentRoutes,
};
/** The whole route table: only the fallback (every path and method) and the OpenAPI document need it. */
const routeTable = 'functions/routes.ts';
const wholeTableReaders = new Set([systemRoutes.openApi.handler, 'system/fallback']);

const isSchemaModule = (module: string) => /^functions\/[^/]+\/schemas\.ts$/.test(module);

let bundles: FunctionBundles;

beforeAll(async () => {
  bundles = await bundleDeployedFunctions();
}, 60_000);

describe('a route function bundles its own area of the route table only', () => {
  const routeFunctions = Object.entries(areas).flatMap(([areaModule, routes]) =>
    Object.values(routes)
      .filter((route) => !wholeTableReaders.has(route.handler))
      .map((route) => [route.handler, areaModule] as const),
  );

  it.each(routeFunctions)('%s', (handler, areaModule) => {
    const bundled = bundles.modulesOf(handler);
    const ownSchemas = bundles.reachableFrom(areaModule);
    const foreign = [...bundled].filter(
      (module) =>
        module === routeTable ||
        (module in areas && module !== areaModule) ||
        (isSchemaModule(module) && !ownSchemas.has(module)),
    );
    const why = foreign.map((module) => bundles.importChain(entryOf(handler), module).join(' -> '));
    expect(why).toEqual([]);
  });
});

describe('what no deployed function bundles', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s: not the embedded search engine, and Stripe only with the Stripe grant',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const embedded = [...bundles.modulesOf(handler)].filter((module) =>
        module.startsWith('shared/search/embedded/'),
      );
      expect(embedded.map((module) => bundles.importChain(entry, module).join(' -> '))).toEqual([]);
      if (bundles.packagesOf(handler).has('stripe'))
        expect(uses.stripe, `${entry} bundles stripe`).toBe(true);
    },
  );

  it('the health check reads the Stripe settings without the Stripe SDK', () => {
    expect(bundles.modulesOf(systemRoutes.health.handler)).toContain('shared/app/composition/stripe.ts');
    expect(bundles.packagesOf(systemRoutes.health.handler)).not.toContain('stripe');
  });
});
