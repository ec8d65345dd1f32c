import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Where the data files live; omit to keep everything in memory. */
  readonly dataDir?: string;
}

const startupTimeoutMs = 30_000;

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Fails with one clear line when Java is missing, instead of a spawn error deep in a stack trace. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java 17 or newer is required to run DynamoDB Local, and `java` was not found on the PATH.',
    );
  }
}

/** DynamoDB Local answers any HTTP request once it serves; a refused connection means not yet. */
async function waitUntilServing(endpoint: string, java: ChildProcess): Promise<void> {
  const deadline = Date.now() + startupTimeoutMs;
  while (Date.now() < deadline) {
    if (java.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${java.exitCode}`);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${startupTimeoutMs / 1000} s`);
}

/**
 * Makes the data directory, and carries over the database of a stack that ran before `-sharedDb`:
 * DynamoDB Local kept it then in a file named by the one access key and region (`local`, `local`).
 */
function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const shared = join(dataDir, 'shared-local-instance.db');
  const beforeSharedDb = join(dataDir, 'local_local.db');
  if (!existsSync(shared) && existsSync(beforeSharedDb)) renameSync(beforeSharedDb, shared);
}

/** Starts the real DynamoDB engine (DynamoDBLocal.jar) and resolves once it answers requests. */
export async function startDynamoDbLocal({ port, dataDir }: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const emulator = emulatorDir();
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  if (dataDir) prepareDataDir(dataDir);
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-disableTelemetry',
      // One database for every access key and region: locally each function signs with its own key.
      '-sharedDb',
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working directory.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dataDir ?? tmpdir() },
  );
  let stderr = '';
  java.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, java);
  } catch (error) {
    java.kill();
    throw new Error(`${(error as Error).message}\n${stderr}`.trim());
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (java.exitCode !== null) return resolve();
        java.once('exit', () => resolve());
        java.kill('SIGTERM');
      }),
  };
}
