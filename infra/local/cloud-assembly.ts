import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CloudFormationTemplate } from './aws/template-references.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
/** What the synthesized assembly is made of: a change to any of these synthesizes it anew. */
const sources = ['functions', 'shared', 'workflows', 'infra', 'package-lock.json', 'cdk.json'];
/** Under infra/, what the CDK app does not import: the local stack and the operators' tools. */
const notSynthesized = [join('infra', 'local'), join('infra', 'ops')];
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'marketplace-cloud-assembly');

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch(() => undefined);
  if (!entries) return [path];
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of sources) {
    for (const file of await filesUnder(join(repoRoot, source))) {
      const path = relative(repoRoot, file);
      if (notSynthesized.some((excluded) => path.startsWith(excluded))) continue;
      hash.update(path).update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The stack's template as `cdk synth` writes it: what the local stack resolves to local names. */
export type SynthesizedTemplate = CloudFormationTemplate & Record<string, unknown>;

/** The address notifications come from on this machine: the local SES takes anything it is given. */
export const localNotificationSender = 'orders@marketplace.localhost';

/** What the local stack deploys besides cdk.json's context: notifications, which need a sender. */
const localContext = { notificationSender: localNotificationSender } as const;

/**
 * The template `npm run synth` makes of the current sources, without bundling the functions (the
 * local stack then runs their sources): made in-process once per version of the sources, and kept.
 */
export async function synthesizedTemplate(): Promise<SynthesizedTemplate> {
  const file = join(cacheDir, `template-${await sourceHash()}.json`);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as SynthesizedTemplate;
  const [{ App }, { MarketplaceStack }, { deploymentSettings }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../marketplace-stack.ts'),
    import('../context.ts'),
  ]);
  const { context } = JSON.parse(await readFile(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, ...localContext, 'aws:cdk:bundling-stacks': [] } });
  const stack = new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));
  const template = app.synth().getStackByName(stack.stackName).template as SynthesizedTemplate;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(`${file}.${process.pid}`, JSON.stringify(template));
  await rename(`${file}.${process.pid}`, file);
  return template;
}

/** The template in a cloud assembly made already, e.g. cdk.out after `npm run synth`. */
export async function assemblyTemplate(assemblyDir: string): Promise<SynthesizedTemplate> {
  const file = join(assemblyDir, 'Marketplace.template.json');
  if (!existsSync(file))
    throw new Error(`${assemblyDir} holds no Marketplace template: run npm run synth first`);
  return JSON.parse(await readFile(file, 'utf8')) as SynthesizedTemplate;
}

/**
 * The cloud assembly `npm run synth` makes of the current sources (template and bundles), made once
 * per version of the sources and kept under node_modules/.cache: the directory holding
 * Marketplace.template.json and the asset of every function. `MARKETPLACE_CLOUD_ASSEMBLY=cdk.out`
 * tests an assembly made already, e.g. the one about to be deployed.
 */
export async function synthesizedAssembly(): Promise<string> {
  const given = process.env.MARKETPLACE_CLOUD_ASSEMBLY;
  if (given) return resolve(repoRoot, given);
  const directory = join(cacheDir, await sourceHash());
  const template = join(directory, 'Marketplace.template.json');
  await mkdir(cacheDir, { recursive: true });
  const lock = `${directory}.lock`;
  // One process synthesizes; the others (test files running at once) wait for its assembly.
  for (const deadline = Date.now() + synthesisTimeoutMs; !existsSync(template); ) {
    if (
      await mkdir(lock).then(
        () => true,
        () => false,
      )
    ) {
      try {
        if (!existsSync(template)) await synthesizeInto(directory);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    } else if (Date.now() > deadline) {
      throw new Error(`No cloud assembly appeared in ${directory}; remove ${lock} if no synthesis runs`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return directory;
}

/** Bundling 51 functions takes a few minutes on two cores. */
const synthesisTimeoutMs = 15 * 60_000;

async function synthesizeInto(directory: string): Promise<void> {
  const staging = `${directory}.${process.pid}`;
  const contextFlags = Object.entries(localContext).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  await promisify(execFile)(
    'npx',
    ['cdk', 'synth', '--no-notices', '-q', ...contextFlags, '--output', staging],
    {
      cwd: repoRoot,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  await rename(staging, directory);
}
