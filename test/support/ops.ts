import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** How the operator's commands start: `npm run configure` and `npm run smoke` run these with tsx. */
export const opsCommand = (script: 'configure' | 'smoke') => [
  process.execPath,
  '--import',
  'tsx',
  `infra/ops/${script}.ts`,
];

/**
 * An operator command run as the operator runs it, in a process of its own with `env` (this
 * process's environment unless given) and `input` piped to its stdin. Answers its exit code, what it
 * printed (stdout and stderr), and the smoke checks' result lines.
 */
export async function runOps(
  script: 'configure' | 'smoke',
  args: readonly string[],
  { env = process.env, input = '' }: { env?: NodeJS.ProcessEnv; input?: string } = {},
) {
  const [command = '', ...commandArgs] = opsCommand(script);
  const child = spawn(command, [...commandArgs, ...args], { cwd: repoRoot, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdin.end(input);
  const [code] = (await once(child, 'exit')) as [number];
  return { code, output, lines: output.split('\n').filter((line) => /^(pass|FAIL) {2}/.test(line)) };
}
