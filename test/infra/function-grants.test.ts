import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fallbackHandler,
  orderWorkflowDriver,
  routes,
  scheduledPayoutRuns,
  searchIndexerHandler,
  stripeEventProcessing,
} from '#functions/routes.ts';
import { readsCheckoutSettings } from '#infra/constructs/checkout-settings.ts';
import { readsPayoutSettings } from '#infra/constructs/payout-settings.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import type { WorkflowTask } from '#workflows/workflow.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Stripe's composition root: it reads the Stripe secret, so a function bundling it needs the grant. */
const stripeModule = 'shared/app/composition/stripe.ts';
/** The item lists' composition root: it needs ITEM_LIST_BUCKET at load time, which the grant sets. */
const itemListsModule = 'shared/app/composition/item-lists.ts';
/** Reads the PAYOUT_* environment, which CDK sets on the functions that start payout runs only. */
const payoutSettingsModule = 'shared/app/payouts/payout-settings.ts';
const checkoutSettingsModule = 'shared/app/orders/checkout-settings.ts';

interface DeployedFunction {
  /** Where the function is declared, for failure messages. */
  readonly name: string;
  /** Module under functions/, without extension. */
  readonly handler: string;
  readonly uses: FunctionResources;
}

/** Every Lambda function the stack deploys, with what its declaration lets it touch. */
const deployedFunctions: readonly DeployedFunction[] = [
  ...Object.entries(routes).map(([name, route]) => ({
    name: `route ${name}`,
    handler: route.handler,
    uses: route.uses,
  })),
  ...[orderFulfillment, payoutRun].flatMap((workflow) =>
    Object.entries<WorkflowTask>(workflow.tasks).map(([stateName, task]) => ({
      name: `${workflow.name} task ${stateName}`,
      handler: task.handler,
      uses: task.uses,
    })),
  ),
  { name: 'stripeEventProcessing', handler: stripeEventProcessing.handler, uses: stripeEventProcessing.uses },
  { name: 'scheduledPayoutRuns', handler: scheduledPayoutRuns.handler, uses: scheduledPayoutRuns.uses },
  { name: 'orderWorkflowDriver', handler: orderWorkflowDriver.handler, uses: orderWorkflowDriver.uses },
  // Their constructs grant them no Stripe secret.
  { name: 'fallbackHandler', handler: fallbackHandler, uses: {} },
  { name: 'searchIndexerHandler', handler: searchIndexerHandler, uses: {} },
  // The user pool's triggers, named in infra/constructs/auth.ts.
  { name: 'sign-up trigger', handler: 'identity/join-buyers', uses: {} },
  { name: 'token trigger', handler: 'identity/privileged-groups-need-mfa', uses: {} },
];

const entryOf = (handler: string) => `functions/${handler}.ts`;

/** The modules each handler's bundle holds (paths relative to the repository), by entry point. */
let bundledModules: Map<string, ReadonlySet<string>>;
/** Every bundled module, with its imports. */
let inputs: Metafile['inputs'];

beforeAll(async () => {
  // One build of every entry point, as CDK bundles each function: local modules and the `#…`
  // aliases of package.json are followed, npm packages are not.
  const { metafile } = await build({
    absWorkingDir: repoRoot,
    entryPoints: [...new Set(deployedFunctions.map(({ handler }) => entryOf(handler)))],
    outdir: 'bundles',
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  inputs = metafile.inputs;
  bundledModules = new Map(
    Object.values(metafile.outputs).flatMap((output) =>
      output.entryPoint ? [[output.entryPoint, new Set(Object.keys(output.inputs))] as const] : [],
    ),
  );
}, 60_000);

/** The chain of imports from `entry` to `target`, for saying why a bundle holds it. */
function importChain(entry: string, target: string): string[] {
  const cameFrom = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  for (let module = queue.shift(); module !== undefined; module = queue.shift()) {
    if (module === target) break;
    for (const { path } of inputs[module]?.imports ?? []) {
      if (cameFrom.has(path) || !(path in inputs)) continue;
      cameFrom.set(path, module);
      queue.push(path);
    }
  }
  const chain: string[] = [];
  for (let module = target; module; module = cameFrom.get(module) ?? '') chain.unshift(module);
  return chain;
}

function bundleOf(handler: string): ReadonlySet<string> {
  const bundled = bundledModules.get(entryOf(handler));
  if (!bundled) throw new Error(`esbuild produced no bundle for ${entryOf(handler)}`);
  return bundled;
}

describe('Stripe grants', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s declares uses.stripe exactly when its bundle loads shared/app/composition/stripe.ts',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const loadsStripe = bundleOf(handler).has(stripeModule);
      const why = loadsStripe
        ? `${entry} loads Stripe (${importChain(entry, stripeModule).join(' -> ')}) without declaring uses.stripe: it would fail to read the Stripe secret`
        : `${entry} declares uses.stripe but never loads ${stripeModule}: drop the grant`;
      expect(uses.stripe === true, why).toBe(loadsStripe);
    },
  );
});

describe('item-list grants', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s declares uses.itemLists exactly when its bundle loads shared/app/composition/item-lists.ts',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const loadsItemLists = bundleOf(handler).has(itemListsModule);
      const why = loadsItemLists
        ? `${entry} loads item lists (${importChain(entry, itemListsModule).join(' -> ')}) without declaring uses.itemLists: it would find no ITEM_LIST_BUCKET`
        : `${entry} declares uses.itemLists but never loads ${itemListsModule}: drop the grant`;
      expect(uses.itemLists === 'write', why).toBe(loadsItemLists);
    },
  );
});

describe.each([
  {
    declaration: 'payoutSettings',
    prefix: 'PAYOUT_',
    module: payoutSettingsModule,
    reads: readsPayoutSettings,
  },
  {
    declaration: 'checkoutSettings',
    prefix: 'CHECKOUT_',
    module: checkoutSettingsModule,
    reads: readsCheckoutSettings,
  },
] as const)('operator settings: $declaration', ({ declaration, prefix, module, reads }) => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    `%s is given the ${prefix}* settings exactly when its bundle reads them`,
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const readsSettings = bundleOf(handler).has(module);
      const why = readsSettings
        ? `${entry} reads ${module} (${importChain(entry, module).join(' -> ')}) but does not declare uses.${declaration}, so CDK gives it no ${prefix}* settings: it would run on the defaults`
        : `${entry} declares uses.${declaration} but never reads ${module}`;
      expect(reads(uses), why).toBe(readsSettings);
    },
  );
});
