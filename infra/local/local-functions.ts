import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { localAccount, localAdministrator } from './aws/authorization.ts';
import type { TemplateFunction, TemplateReferences } from './aws/template-references.ts';
import type { InvokeFunction } from './event-sources.ts';
import { loadHandler } from './handler-loader.ts';
import { lambdaContext } from './lambda-event.ts';
import { createLambdaRuntime, type LocalFunction } from './lambda-runtime.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * How the local stack runs the functions: their sources in its own process; their sources, each
 * function in a worker of its own (`isolated`); or the bundles of a cloud assembly, each in a worker.
 */
export type FunctionCode =
  | { readonly kind: 'source' }
  | { readonly kind: 'isolated' }
  | { readonly kind: 'artifact'; readonly assemblyDir: string };

const functionsDir = join(import.meta.dirname, '..', '..', 'functions');

/** The source module of a function of the template, by the handler module CDK records. */
function sourceModuleOf(fn: LocalFunction): string {
  const { handlerModule } = fn as TemplateFunction;
  if (!handlerModule) throw new Error(`The template names no handler module for ${fn.logicalId}`);
  return join(functionsDir, `${handlerModule}.ts`);
}

/** Runs an invocation (`run`) on the runtime's behalf: benchmarks count and time them. */
export type InvocationMeter = (
  fn: TemplateFunction,
  event: unknown,
  run: () => Promise<unknown>,
) => Promise<unknown>;

export interface LocalFunctions {
  /** Runs the function of the template by its logical id, as Lambda invokes it. */
  readonly invoke: InvokeFunction;
  /** Runs the function whose handler module is functions/<handlerModule>. */
  invokeHandler(handlerModule: string, event: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The search functions read and write the embedded engine of this process: no OpenSearch domain,
 * which is all they know how to reach, can run on this machine.
 */
const usesOpenSearch = (fn: TemplateFunction) => 'OPENSEARCH_ENDPOINT' in fn.environment;

async function runSource(fn: TemplateFunction, event: unknown): Promise<unknown> {
  if (!fn.handlerModule) throw new Error(`The template names no handler module for ${fn.logicalId}`);
  const handler = await loadHandler<Handler>(fn.handlerModule);
  return handler(event, lambdaContext(fn.handlerModule, fn.timeoutSeconds * 1000));
}

/**
 * The template's functions, run from their sources in this process or each in a Lambda-like worker
 * of its own (from its sources or its bundle) with exactly its template environment, the local
 * endpoints and credentials naming it, so every AWS call it makes is checked against its role.
 */
export function startLocalFunctions(
  references: TemplateReferences,
  code: FunctionCode,
  environment: Readonly<Record<string, string>>,
  overrides: (fn: TemplateFunction) => Readonly<Record<string, string>>,
  meter?: InvocationMeter,
): LocalFunctions {
  const functions = references.functions();
  const byId = new Map(functions.map((fn) => [fn.logicalId, fn]));
  const byHandler = new Map(functions.map((fn) => [fn.handlerModule, fn]));
  const workers =
    code.kind === 'source'
      ? undefined
      : createLambdaRuntime({
          functions: functions.filter((fn) => !usesOpenSearch(fn)),
          code: code.kind === 'artifact' ? code : { kind: 'source', moduleOf: sourceModuleOf },
          environment: { ...environment, AWS_REGION: localAccount.region },
          inheritedVariables: ['PATH'],
          overrides: (fn) => overrides(fn as TemplateFunction),
        });
  const runOnce = (fn: TemplateFunction, event: unknown) =>
    workers && !usesOpenSearch(fn) ? workers.invoke(fn.logicalId, event) : runSource(fn, event);
  const run = meter
    ? (fn: TemplateFunction, event: unknown) => meter(fn, event, () => runOnce(fn, event))
    : runOnce;
  return {
    invoke(functionId, event) {
      const fn = byId.get(functionId);
      if (!fn) throw new Error(`The template has no function ${functionId}`);
      return run(fn, event);
    },
    invokeHandler(handlerModule, event) {
      const fn = byHandler.get(handlerModule);
      if (!fn) throw new Error(`No function of the template runs functions/${handlerModule}`);
      return run(fn, event);
    },
    stop: async () => workers?.stop(),
  };
}

/**
 * The environment of the functions running in this process: what the template gives each of them
 * (the same value wherever two set one variable), the local endpoints, and the administrator's
 * credentials, since functions sharing one process cannot sign as themselves. No OPENSEARCH_ENDPOINT:
 * the search functions use the embedded engine the stack gives them (embedded-search.ts).
 */
export function functionsEnvironment(
  functions: readonly TemplateFunction[],
  endpoints: Readonly<Record<string, string>>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      if (name in environment && environment[name] !== value) {
        throw new Error(`${fn.logicalId} sets ${name} to another value than other functions do`);
      }
      environment[name] = value;
    }
  }
  delete environment.OPENSEARCH_ENDPOINT;
  return {
    ...environment,
    ...endpoints,
    AWS_REGION: localAccount.region,
    AWS_ACCESS_KEY_ID: localAdministrator.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAdministrator.secretAccessKey,
  };
}

/** What the Stripe secret holds, as an operator fills it (see the README), and where Stripe answers. */
export interface StripeSettingsSecret {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly connectWebhookSecret?: string;
  /** The payment simulator's address; absent for Stripe itself. */
  readonly apiUrl?: string;
}
