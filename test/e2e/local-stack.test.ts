import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalIdentity, loadOrCreateSigningKey } from '#infra/local/identity.ts';
import { signingKeyFile } from '#infra/local/stack.ts';
import type { ApiResponse } from '../support/api.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { freePort } from '../support/free-port.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-local-'));
const startupTimeoutMs = 60_000;

/** `npm start`'s program in a process of its own, resolved once it says where it listens. */
async function startMarketplace(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`not listening after ${startupTimeoutMs} ms`)),
      startupTimeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
  return {
    url,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the local stack', () => {
  it('keeps listings, their search index and the same tokens when npm start is restarted', async () => {
    const dataDir = join(scratch, 'data');
    const ports = { PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()) };
    const identity = await createLocalIdentity(await loadOrCreateSigningKey(signingKeyFile(dataDir)));
    const token = await identity.issueToken({ userId: 'alice', roles: ['seller'] });
    const call = (url: string, path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }).then(
        async (response): Promise<Pick<ApiResponse, 'status' | 'body'>> => ({
          status: response.status,
          body: await response.json(),
        }),
      );

    const first = await startMarketplace({ ...ports, MARKETPLACE_DATA_DIR: dataDir });
    await call(first.url, '/sellers/me', { method: 'PUT', body: JSON.stringify(aliceProfile) });
    const onboarding = await call(first.url, '/sellers/me/payments-account', { method: 'POST' });
    // Opening the Account Link passes the payment simulator's hosted onboarding, as a seller would.
    await fetch(onboarding.body.onboardingLink.url, { redirect: 'manual' });
    expect((await call(first.url, '/sellers/me/payments-account')).body.chargesEnabled).toBe(true);
    const created = await call(first.url, '/listings', { method: 'POST', body: JSON.stringify(lampContent) });
    await call(first.url, `/listings/${created.body.id}/publish`, { method: 'POST' });
    await first.stop();

    const second = await startMarketplace({ ...ports, MARKETPLACE_DATA_DIR: dataDir });
    try {
      const read = await call(second.url, `/listings/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ title: lampContent.title, status: 'published' });
      expect((await call(second.url, '/sellers/me/listings')).status).toBe(200);
      // A new process starts with an empty search engine and rebuilds it from the table.
      const found = await call(second.url, '/search?q=brass');
      expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    } finally {
      await second.stop();
    }
    // Two cold starts of `npm start` (tsx compiling, DynamoDB Local, the workflow engine) in a row.
  }, 60_000);

  it('says in one line that Java is missing', () => {
    // A PATH holding node and nothing else.
    const bin = join(scratch, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { PATH: bin, MARKETPLACE_DATA_DIR: join(scratch, 'no-java') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const errorLines = result.stderr.split('\n').filter((line) => line.includes('Java'));
    expect(errorLines).toEqual([
      'Could not start the local marketplace: Java 17 or newer is required to run DynamoDB Local, and `java` was not found on the PATH.',
    ]);
  });
});
