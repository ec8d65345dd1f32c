import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { functionCredentials, functionPolicies, policyAuthorizer } from '#infra/local/aws/role-policies.ts';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '#infra/local/aws/secrets-manager-endpoint.ts';
import {
  type CloudFormationTemplate,
  createTemplateReferences,
  type TemplateFunction,
} from '#infra/local/aws/template-references.ts';
import { synthesizedAssembly } from '#infra/local/cloud-assembly.ts';

const loopbackOnly = pathToFileURL(join(import.meta.dirname, 'loopback-only.mjs')).href;
/** Where every other AWS service the SDK might reach points: a port nobody listens on. */
const nowhere = 'http://127.0.0.1:9';

/** The synthesized cloud assembly, its functions, and the Secrets Manager endpoint their bundles read at init. */
export interface BundleBed {
  readonly assembly: string;
  readonly functions: readonly TemplateFunction[];
  readonly secrets: SecretsManagerEndpoint;
}

/**
 * Synthesizes the current sources (or takes `MARKETPLACE_CLOUD_ASSEMBLY`) and starts a Secrets
 * Manager endpoint holding the template's secrets filled in, as an operator does after deploying.
 */
export async function startBundleBed(): Promise<BundleBed> {
  const assembly = await synthesizedAssembly();
  const template = JSON.parse(
    await readFile(join(assembly, 'Marketplace.template.json'), 'utf8'),
  ) as CloudFormationTemplate;
  const references = createTemplateReferences(template);
  const secrets = await startSecretsManagerEndpoint({
    authorize: policyAuthorizer(functionPolicies(template, references)),
  });
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue;
    const filled = JSON.stringify({ secretKey: 'sk_test_init', webhookSecret: 'whsec_init' });
    secrets.createSecret(references.physicalName(logicalId), filled, { arn: references.arnOf(logicalId) });
  }
  return { assembly, functions: references.functions(), secrets };
}

/** A bundle to import: its file, its handler export and the environment its function runs with. */
export interface BundleUnderTest {
  readonly name: string;
  readonly file: string;
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A function of the template as a bundle of the cloud assembly, with its own credentials. */
export function functionBundle(assembly: string, fn: TemplateFunction): BundleUnderTest {
  if (!fn.assetPath) throw new Error(`${fn.logicalId} has no asset in the cloud assembly`);
  const [module, handlerExport = 'handler'] = fn.handler.split('.');
  return {
    name: fn.logicalId,
    file: join(assembly, fn.assetPath, `${module}.mjs`),
    handlerExport,
    environment: { ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.logicalId },
    credentials: functionCredentials(fn.logicalId),
  };
}

export const bundleKiB = async (bundle: BundleUnderTest) => (await stat(bundle.file)).size / 1024;

export interface BundleInit {
  readonly initMs: number;
  /** CPU time the import took: steadier than `initMs` on a machine other processes load. */
  readonly cpuMs: number;
  /** Non-empty when the bundle tried to reach beyond this machine (loopback-only) or warned. */
  readonly stderr: string;
}

/**
 * Imports the bundle as Lambda's Node runtime does, in a fresh process given exactly its environment,
 * its credentials and the local endpoints, reaching nothing else; answers how long the import took.
 */
export async function initialiseBundle(bundle: BundleUnderTest, secretsUrl: string): Promise<BundleInit> {
  const script = [
    'const started = performance.now();',
    'const cpu = process.cpuUsage();',
    `const loaded = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
    `if (typeof loaded[${JSON.stringify(bundle.handlerExport)}] !== 'function') throw new Error('no handler export');`,
    'const { user, system } = process.cpuUsage(cpu);',
    'console.log(JSON.stringify({ initMs: performance.now() - started, cpuMs: (user + system) / 1000 }));',
  ].join('\n');
  const credentials = bundle.credentials ?? { accessKeyId: 'baseline', secretAccessKey: 'baseline' };
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', loopbackOnly, '--input-type=module', '-e', script],
    {
      env: {
        ...bundle.environment,
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_ENDPOINT_URL: nowhere,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 30_000,
    },
  );
  const { initMs, cpuMs } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    initMs: number;
    cpuMs: number;
  };
  return { initMs, cpuMs, stderr };
}
