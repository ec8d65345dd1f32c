import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  eventArchiver,
  eventPublisher,
  eventRecorder,
  fallbackHandler,
  orderWorkflowDriver,
  routes,
  scheduledPayoutRuns,
  searchIndexerHandler,
  stripeEventProcessing,
  suspensionEnforcer,
  tableChangeFanOut,
  tableChangeProjections,
} from '#functions/routes.ts';
import type { FunctionResources } from '#shared/config/function-resources.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { reviewWindow } from '#workflows/review-window.ts';
import type { WorkflowTask } from '#workflows/workflow.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface DeployedFunction {
  /** Where the function is declared, for failure messages. */
  readonly name: string;
  /** Module under functions/, without extension. */
  readonly handler: string;
  readonly uses: FunctionResources;
}

/** Every Lambda function the stack deploys, with what its declaration lets it touch. */
export const deployedFunctions: readonly DeployedFunction[] = [
  ...Object.entries(routes).map(([name, route]) => ({
    name: `route ${name}`,
    handler: route.handler,
    uses: route.uses,
  })),
  ...[orderFulfillment, payoutRun, reviewWindow].flatMap((workflow) =>
    Object.entries<WorkflowTask>(workflow.tasks).map(([stateName, task]) => ({
      name: `${workflow.name} task ${stateName}`,
      handler: task.handler,
      uses: task.uses,
    })),
  ),
  { name: 'stripeEventProcessing', handler: stripeEventProcessing.handler, uses: stripeEventProcessing.uses },
  { name: 'scheduledPayoutRuns', handler: scheduledPayoutRuns.handler, uses: scheduledPayoutRuns.uses },
  { name: 'orderWorkflowDriver', handler: orderWorkflowDriver.handler, uses: orderWorkflowDriver.uses },
  { name: 'suspensionEnforcer', handler: suspensionEnforcer.handler, uses: suspensionEnforcer.uses },
  { name: 'eventRecorder', handler: eventRecorder.handler, uses: eventRecorder.uses },
  { name: 'eventPublisher', handler: eventPublisher.handler, uses: eventPublisher.uses },
  { name: 'eventArchiver', handler: eventArchiver.handler, uses: eventArchiver.uses },
  {
    name: 'tableChangeProjections',
    handler: tableChangeProjections.handler,
    uses: tableChangeProjections.uses,
  },
  { name: 'tableChangeFanOut', handler: tableChangeFanOut.handler, uses: tableChangeFanOut.uses },
  // Their constructs grant them no Stripe secret.
  { name: 'fallbackHandler', handler: fallbackHandler, uses: {} },
  { name: 'searchIndexerHandler', handler: searchIndexerHandler, uses: {} },
  // The user pool's triggers, named in infra/constructs/auth.ts.
  { name: 'sign-up trigger', handler: 'identity/join-buyers', uses: {} },
  { name: 'token trigger', handler: 'identity/privileged-groups-need-mfa', uses: {} },
];

export const entryOf = (handler: string) => `functions/${handler}.ts`;

/** What the bundles of the deployed functions hold: this repository's modules, and the packages they import. */
export interface FunctionBundles {
  /** The modules (paths relative to the repository) of the handler's bundle. */
  modulesOf(handler: string): ReadonlySet<string>;
  /** The npm packages (and Node built-ins) the handler's bundle imports. */
  packagesOf(handler: string): ReadonlySet<string>;
  /** The chain of imports from `entry` to `target`, for saying why a bundle holds it. */
  importChain(entry: string, target: string): string[];
  /** This repository's modules `module` imports, directly or not, itself included. */
  reachableFrom(module: string): ReadonlySet<string>;
}

/**
 * One build of every entry point, as CDK bundles each function: local modules and the `#…` aliases
 * of package.json are followed, npm packages are not.
 */
export async function bundleDeployedFunctions(): Promise<FunctionBundles> {
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
  const outputs = new Map<string, Metafile['outputs'][string]>(
    Object.values(metafile.outputs).flatMap((output) =>
      output.entryPoint ? [[output.entryPoint, output] as const] : [],
    ),
  );
  const outputOf = (handler: string) => {
    const output = outputs.get(entryOf(handler));
    if (!output) throw new Error(`esbuild produced no bundle for ${entryOf(handler)}`);
    return output;
  };
  const { inputs } = metafile;
  const reachableFrom = (module: string) => {
    const reached = new Set([module]);
    for (const next of reached) {
      for (const { path } of inputs[next]?.imports ?? []) if (path in inputs) reached.add(path);
    }
    return reached;
  };
  return {
    reachableFrom,
    modulesOf: (handler) => new Set(Object.keys(outputOf(handler).inputs)),
    packagesOf: (handler) =>
      new Set(outputOf(handler).imports.flatMap(({ path, external }) => (external ? [path] : []))),
    importChain(entry, target) {
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
    },
  };
}
