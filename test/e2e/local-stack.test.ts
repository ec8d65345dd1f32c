import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { freePort } from '../support/free-port.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-local-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the local stack', () => {
  it('keeps listings, their search index and the same tokens across a restart', async () => {
    // Like `npm start`, both runs use the same ports; the handler modules stay loaded in this process.
    const options = { dataDir: join(scratch, 'data'), dynamoDbPort: await freePort() };
    const first = await TestApi.start(options);
    const token = await first.token('alice', 'seller');
    await first.call('PUT', '/sellers/me', { token, body: aliceProfile });
    const created = await first.call('POST', '/listings', { token, body: lampContent });
    await first.call('POST', `/listings/${created.body.id}/publish`, { token });
    await first.stop();

    const second = await TestApi.start(options);
    try {
      const read = await second.call('GET', `/listings/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ title: lampContent.title, status: 'published' });
      expect((await second.call('GET', '/sellers/me/listings', { token })).status).toBe(200);
      // The in-process search engine starts empty and is rebuilt from the table at start.
      const found = await second.call('GET', '/search?q=brass');
      expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    } finally {
      await second.stop();
    }
  });

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
