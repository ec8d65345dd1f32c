import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '#infra/ops/payouts/cli.ts';
import { TestApi } from '../support/api.ts';
import { sellerWithEarnings } from '../support/payouts.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-payouts-cli-'));
let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start({
    operatorSettings: { PAYOUT_MINIMUM_AMOUNT: '1000', PAYOUT_APPROVAL_THRESHOLD: '2000' },
  });
});
afterAll(async () => {
  await api.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the CLI in-process against the local stack as `token`'s user; answers its exit code and output. */
async function cli(token: string, ...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await runCli(['--api', api.stack.url, ...argv], {
    stdout,
    stderr,
    env: { MARKETPLACE_TOKEN: token },
    isTTY: false,
    pollIntervalMs: 50,
  });
  return { code, out: out.join(''), err: err.join('') };
}

const runIdIn = (output: string) => output.match(/pr_[a-z0-9]{16}/)?.[0] ?? '';

it('a finance user starts a dry run, then a run another approves, and downloads its report', async () => {
  const buyer = await api.token('cli-buyer', 'buyer');
  const seller = await sellerWithEarnings(api, buyer, 3000);
  const ann = await api.token('cli-ann', 'finance');
  const bob = await api.token('cli-bob', 'finance');

  const dry = await cli(ann, 'start', '--currency', 'EUR', '--dry-run', '--watch');
  expect(dry.code, dry.err).toBe(0);
  expect(dry.out).toMatch(/completed/);

  const started = await cli(ann, 'start', '--currency', 'EUR');
  expect(started.code, started.err).toBe(0);
  const runId = runIdIn(started.out);
  expect(runId).not.toBe('');
  const own = await cli(ann, 'approve', runId);
  expect(own.code).toBe(3);
  expect(own.err).toMatch(/another finance user/i);
  const approved = await (async () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const result = await cli(bob, 'approve', runId, '--watch');
      if (result.code === 0) return result;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the run never became approvable');
  })();
  expect(approved.out).toMatch(/completed/);

  const file = join(scratch, 'report.csv');
  const report = await cli(ann, 'report', runId, '--out', file);
  expect(report.code, report.err).toBe(0);
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\r\n');
  expect(header).toMatch(/^run_id,seller_id,/);
  expect(rows).toEqual([expect.stringContaining(`${runId},${seller.sellerId},`)]);
  expect(rows[0]).toContain(`,paid,${seller.available},${seller.available},`);
}, 60_000);
