import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const loopbackOnly = pathToFileURL(join(import.meta.dirname, '..', 'support', 'loopback-only.mjs')).href;
/** Where every other AWS service the SDK might reach points: a port nobody listens on. */
const nowhere = 'http://127.0.0.1:9';

interface InitResult {
  readonly function: string;
  readonly initMs: number;
  readonly bundleKiB: number;
}

const results: InitResult[] = [];
let assembly: string;
let functions: TemplateFunction[];
let secrets: SecretsManagerEndpoint;

beforeAll(async () => {
  assembly = await synthesizedAssembly();
  const template = JSON.parse(
    await readFile(join(assembly, 'Marketplace.template.json'), 'utf8'),
  ) as CloudFormationTemplate;
  const references = createTemplateReferences(template);
  functions = references.functions();
  secrets = await startSecretsManagerEndpoint({
    authorize: policyAuthorizer(functionPolicies(template, references)),
  });
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue;
    // What an operator puts in the secret after deploying, as the README says.
    const filled = JSON.stringify({ secretKey: 'sk_test_init', webhookSecret: 'whsec_init' });
    secrets.createSecret(references.physicalName(logicalId), filled, { arn: references.arnOf(logicalId) });
  }
}, 900_000);

afterAll(async () => {
  await secrets?.stop();
  console.table(results);
});

/**
 * Imports the bundle as Lambda's Node runtime does, in a fresh process given exactly the template's
 * environment, the function's own credentials and the local endpoints, reaching nothing else.
 */
async function initialise(fn: TemplateFunction): Promise<{ initMs: number; stderr: string }> {
  if (!fn.assetPath) throw new Error(`${fn.logicalId} has no asset in the cloud assembly`);
  const [module] = fn.handler.split('.');
  const bundle = pathToFileURL(join(assembly, fn.assetPath, `${module}.mjs`)).href;
  const credentials = functionCredentials(fn.logicalId);
  const script = [
    'const started = performance.now();',
    `const loaded = await import(${JSON.stringify(bundle)});`,
    `if (typeof loaded[${JSON.stringify(fn.handler.split('.')[1])}] !== 'function') throw new Error('no handler export');`,
    'console.log(JSON.stringify({ initMs: performance.now() - started }));',
  ].join('\n');
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', loopbackOnly, '--input-type=module', '-e', script],
    {
      env: {
        ...fn.environment,
        PATH: process.env.PATH,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_ENDPOINT_URL: nowhere,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 30_000,
    },
  );
  const { initMs } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { initMs: number };
  return { initMs, stderr };
}

describe('every function cdk deploy ships', () => {
  it('is in the cloud assembly, with its bundle', () => {
    expect(functions.length).toBeGreaterThanOrEqual(51);
    expect(functions.filter((fn) => !fn.assetPath).map((fn) => fn.logicalId)).toEqual([]);
  });

  it('initialises with exactly its template environment, reaching only local endpoints', async () => {
    const failures: string[] = [];
    for (const fn of functions) {
      try {
        const { initMs, stderr } = await initialise(fn);
        if (stderr.includes('loopback-only:')) failures.push(`${fn.logicalId}: ${stderr.trim()}`);
        const { size } = await stat(join(assembly, fn.assetPath ?? '', 'index.mjs'));
        results.push({
          function: fn.logicalId,
          initMs: Math.round(initMs),
          bundleKiB: Math.round(size / 1024),
        });
      } catch (error) {
        failures.push(`${fn.logicalId}: ${(error as { stderr?: string }).stderr || String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
