import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { payoutRunView } from '#functions/routes/schemas/payouts.ts';
import { type CliIo, runCli } from '#infra/ops/payouts/cli.ts';
import { formatAmount } from '#infra/ops/payouts/format.ts';
import { capturedOutput } from '../support/captured-output.ts';

type RunView = z.input<typeof payoutRunView>;

const runId = 'pr_0123456789abcdef';
const scratch = mkdtempSync(join(tmpdir(), 'payouts-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A run as the API shows it, checked against the route's schema so the fixture cannot drift. */
function run(overrides: Partial<RunView> = {}): RunView {
  return payoutRunView.parse({
    runId,
    currency: 'EUR',
    dryRun: false,
    status: 'paying',
    startedBy: 'alice',
    policy: { minimumPayout: 1000, approvalThreshold: 100_000 },
    concurrency: 4,
    selection: { eligibleCount: 3, eligibleAmount: 123_450, skipped: { below_minimum: 2 } },
    progress: { total: 3, done: 0, paid: 0, paidAmount: 0, failed: 0, skipped: 0 },
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  });
}

const progress = (done: number, paid: number, paidAmount: number, failed = 0) => ({
  total: 3,
  done,
  paid,
  paidAmount,
  failed,
  skipped: done - paid - failed,
});

const json = (status: number, body: unknown, contentType = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });

const withLines = (view: RunView) => json(200, { ...view, lines: { items: [] } });

interface Call {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fetch answering from a script, recording each request the CLI makes. */
function fakeFetch(answer: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    return answer(call, calls.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** Answers the scripted responses in order, the last one again for any further request. */
const inOrder = (...responses: (() => Response)[]) =>
  fakeFetch((_, index) => {
    const next = responses[Math.min(index, responses.length - 1)];
    if (!next) throw new Error('no response scripted');
    return next();
  });

async function cli(argv: string[], fetch: typeof globalThis.fetch, io: CliIo = {}) {
  const stdout = capturedOutput();
  const stderr = capturedOutput();
  const code = await runCli(argv, {
    fetch,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { MARKETPLACE_TOKEN: 'finance-token' },
    isTTY: false,
    pollIntervalMs: 0,
    now: () => new Date('2025-03-01T12:00:00.000Z'),
    ...io,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('payouts start', () => {
  it('posts the terms with a fresh Idempotency-Key and the bearer token, and prints the run', async () => {
    const api = fakeFetch(() => json(201, run({ status: 'selecting', dryRun: true, selection: undefined })));
    const result = await cli(
      ['start', '--currency', 'eur', '--dry-run', '--cutoff', '2025-02-28T23:00:00Z'],
      api.fetch,
      { env: { MARKETPLACE_TOKEN: 'finance-token', MARKETPLACE_API_URL: 'https://api.example.com/prod/' } },
    );

    expect(result.code).toBe(0);
    expect(api.calls).toHaveLength(1);
    const [call] = api.calls;
    expect(call?.method).toBe('POST');
    expect(call?.url.href).toBe('https://api.example.com/prod/payout-runs');
    expect(call?.headers.get('authorization')).toBe('Bearer finance-token');
    expect(call?.headers.get('content-type')).toBe('application/json');
    const key = call?.headers.get('idempotency-key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(call?.body).toEqual({ currency: 'EUR', dryRun: true, cutoff: '2025-02-28T23:00:00Z' });
    expect(result.stdout).toContain(`Idempotency-Key: ${key}`);
    expect(result.stdout).toContain(`Started payout run ${runId}.`);
    expect(result.stdout).toContain(`Payout run ${runId}: selecting`);
    expect(result.stdout).toContain(`watch ${runId}`);
  });

  it('prints the selection summary and who may approve a large run', async () => {
    const api = fakeFetch(() =>
      json(
        201,
        run({
          status: 'awaiting-approval',
          selection: { eligibleCount: 3, eligibleAmount: 2_500_000, skipped: { payout_hold: 1 } },
          approval: { required: true, deadline: '2025-03-02T14:30:00.000Z' },
        }),
      ),
    );
    const result = await cli(['start', '--currency', 'EUR'], api.fetch);

    expect(result.stdout).toContain('Selected  3 sellers, EUR 25,000.00; not selected: 1 payout_hold');
    expect(result.stdout).toContain('Any finance user other than alice may decide before');
    expect(result.stdout).toContain('2025-03-02T14:30:00.000Z (in 1 d 2 h)');
    expect(result.stdout).toContain(`approve ${runId}`);
  });

  it('counts the runs of the last 24 hours in why a run awaits approval', async () => {
    const api = fakeFetch(() =>
      json(
        201,
        run({
          status: 'awaiting-approval',
          selection: { eligibleCount: 1, eligibleAmount: 30_000, skipped: {} },
          approval: { required: true, recentTotal: 80_000, deadline: '2025-03-02T14:30:00.000Z' },
        }),
      ),
    );
    const result = await cli(['start', '--currency', 'EUR'], api.fetch);

    expect(result.stdout).toContain(
      'Awaiting approval: EUR 300.00, with EUR 800.00 paid or due by the runs of the last 24 hours, ' +
        'is above the approval threshold of EUR 1,000.00.',
    );
  });

  it('reuses the key given with --key and says when that key started the run before', async () => {
    const api = fakeFetch(() => json(200, run()));
    const result = await cli(['start', '--currency', 'EUR', '--key', 'retry-key-0001'], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.headers.get('idempotency-key')).toBe('retry-key-0001');
    expect(result.stdout).toContain('This key started payout run');
    expect(result.stdout).toContain('nothing new was started');
  });

  it('refuses a key the API would refuse, without calling it', async () => {
    const api = fakeFetch(() => json(201, run()));
    const result = await cli(['start', '--currency', 'EUR', '--key', 'short'], api.fetch);

    expect(result.code).toBe(2);
    expect(api.calls).toHaveLength(0);
    expect(result.stderr).toContain('--key must be 8 to 100 letters');
  });

  it('tells how to retry with the same key when the outcome is unknown', async () => {
    const api = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    });
    const result = await cli(['start', '--currency', 'EUR', '--dry-run'], api.fetch);
    const key = api.calls[0]?.headers.get('idempotency-key');

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`start --currency EUR --dry-run --key ${key}`);
    expect(result.stderr).toContain(
      'connect ECONNREFUSED 127.0.0.1:3000. Is the local stack (npm start) running?',
    );
  });
});

describe('problems', () => {
  it('prints a problem+json answer readably, with its field errors, and exits 3', async () => {
    const api = fakeFetch(() =>
      json(
        400,
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'The request body is invalid.',
          instance: '/payout-runs',
          code: 'validation_failed',
          requestId: 'req-42',
          errors: [
            { field: 'body.currency', message: 'must be an ISO 4217 currency code in upper case, e.g. EUR' },
          ],
        },
        'application/problem+json',
      ),
    );
    const result = await cli(['start', '--currency', 'EURO'], api.fetch);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Error: 400 Bad Request (validation_failed)');
    expect(result.stderr).toContain('  The request body is invalid.');
    expect(result.stderr).toContain('  - body.currency: must be an ISO 4217 currency code');
    expect(result.stderr).toContain('Request id: req-42');
  });

  it("reads the gateway's own 401 and says how to get a token", async () => {
    const api = fakeFetch(() => json(401, { message: 'Unauthorized' }));
    const result = await cli(['list'], api.fetch);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Error: 401 Unauthorized');
    expect(result.stderr).toContain('npm run --silent token -- finance alice');
  });

  it('names what is missing in a response that does not match the schema', async () => {
    const api = fakeFetch(() => json(200, { runId }));
    const result = await cli(['watch', runId], api.fetch);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Unexpected payout run from the API');
    expect(result.stderr).toContain('currency');
  });
});

describe('the command line', () => {
  const never = fakeFetch(() => {
    throw new Error('no request expected');
  });

  it.each([
    [['list'], { env: {} }, 'No token: set MARKETPLACE_TOKEN or pass --token'],
    [['show', runId, '--currency', 'EUR'], {}, 'show does not take --currency'],
    [['show', 'pr_1'], {}, 'pr_1 is not a payout run id'],
    [['approve'], {}, 'approve needs a run id'],
    [['reject', runId], {}, 'reject needs --reason'],
    [['list', '--limt', '5'], {}, "Unknown option '--limt'"],
    [['pay'], {}, 'Unknown command "pay"'],
    [['list', '--api', 'localhost:3000'], {}, 'is not an http(s) URL'],
  ] as const)('%j is a usage error', async (argv, io, message) => {
    const result = await cli([...argv], never.fetch, io);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(never.calls).toHaveLength(0);
  });

  it('prints the usage with --help', async () => {
    const result = await cli(['--help'], never.fetch);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('export MARKETPLACE_TOKEN=$(npm run --silent token -- finance alice)');
  });

  it('prefers --api and --token to the environment', async () => {
    const api = fakeFetch(() => json(200, { items: [] }));
    await cli(['list', '--api', 'http://127.0.0.1:4000', '--token', 'other'], api.fetch);

    expect(api.calls[0]?.url.href).toBe('http://127.0.0.1:4000/payout-runs');
    expect(api.calls[0]?.headers.get('authorization')).toBe('Bearer other');
  });
});

describe('payouts resume', () => {
  it('asks for a new execution of the run, without a body', async () => {
    const api = fakeFetch(() => json(202, run({ status: 'paying' })));
    const result = await cli(['resume', runId], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.method).toBe('POST');
    expect(api.calls[0]?.url.pathname).toBe(`/payout-runs/${runId}/resume`);
    expect(api.calls[0]?.body).toBeUndefined();
    expect(result.stdout).toContain(`Resumed payout run ${runId}`);
  });
});

describe('payouts approve and reject', () => {
  it('approves with the decision in the body', async () => {
    const api = fakeFetch(() =>
      json(
        200,
        run({
          approval: {
            required: true,
            decision: 'approved',
            decidedBy: 'bob',
            decidedAt: '2025-03-01T11:00:00.000Z',
          },
        }),
      ),
    );
    const result = await cli(['approve', runId], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.method).toBe('POST');
    expect(api.calls[0]?.url.pathname).toBe(`/payout-runs/${runId}/approval`);
    expect(api.calls[0]?.body).toEqual({ decision: 'approve' });
    expect(result.stdout).toContain(`Approved payout run ${runId}.`);
    expect(result.stdout).toContain('approved by bob at 2025-03-01T11:00:00.000Z');
  });

  it('rejects with the reason', async () => {
    const api = fakeFetch(() => json(200, run({ status: 'rejected' })));
    const result = await cli(['reject', runId, '--reason', 'Totals look wrong'], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.body).toEqual({ decision: 'reject', reason: 'Totals look wrong' });
  });
});

describe('payouts watch', () => {
  it('prints a line per change until the run completes, then its summary, and exits 0', async () => {
    const failure = {
      sellerId: 'seller-c',
      amount: 3450,
      code: 'account_closed',
      message: 'The account is closed',
    };
    const api = inOrder(
      () =>
        withLines(
          run({ status: 'selecting', selection: undefined, progress: { ...progress(0, 0, 0), total: 0 } }),
        ),
      () =>
        withLines(
          run({
            status: 'awaiting-approval',
            approval: { required: true, deadline: '2025-03-01T12:30:00.000Z' },
          }),
        ),
      () => withLines(run({ progress: progress(1, 1, 60_000) })),
      () => withLines(run({ progress: progress(1, 1, 60_000) })),
      () => withLines(run({ progress: progress(3, 2, 120_000, 1) })),
      () =>
        withLines(
          run({
            status: 'completed',
            progress: progress(3, 2, 120_000, 1),
            failures: [failure],
            finishedAt: '2025-03-01T12:05:00.000Z',
          }),
        ),
    );
    const result = await cli(['watch', runId], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls).toHaveLength(6);
    expect(
      api.calls.every((call) => call.method === 'GET' && call.url.pathname === `/payout-runs/${runId}`),
    ).toBe(true);
    const lines = result.stdout.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(at('selecting the sellers to pay')).toBeGreaterThanOrEqual(0);
    expect(at('awaiting approval.')).toBeGreaterThan(at('selecting'));
    expect(at('may decide before 2025-03-01T12:30:00.000Z (in 30 min)')).toBeGreaterThan(
      at('awaiting approval.'),
    );
    expect(at(`${runId}: paying 3 sellers EUR 1,234.50`)).toBeGreaterThan(at('may decide'));
    // The unchanged fourth poll prints nothing.
    expect(lines.filter((line) => line.includes('1/3 sellers done'))).toEqual([
      `${runId} 1/3 sellers done: 1 paid (EUR 600.00), 0 failed, 0 skipped`,
    ]);
    expect(at('3/3 sellers done: 2 paid (EUR 1,200.00), 1 failed, 0 skipped')).toBeGreaterThan(at('1/3'));
    expect(at(`Payout run ${runId}: completed`)).toBeGreaterThan(at('3/3 sellers done'));
    expect(result.stdout).toContain('Failed payouts:');
    expect(result.stdout).toMatch(/seller-c\s+EUR 34\.50\s+account_closed\s+The account is closed/);
    expect(result.stdout).toContain('Completed: paid 2 sellers EUR 1,200.00, 1 failed, 0 skipped.');
    expect(result.stdout).toContain(`report ${runId} --out ${runId}.csv`);
  });

  it('exits 1 when the run is rejected', async () => {
    const api = inOrder(() =>
      withLines(
        run({
          status: 'rejected',
          approval: { required: true, decision: 'rejected', decidedBy: 'bob', reason: 'Totals look wrong' },
        }),
      ),
    );
    const result = await cli(['watch', runId], api.fetch);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Rejected by bob: Totals look wrong. Nothing was paid.');
  });

  it('rides out a few failed polls', async () => {
    const api = inOrder(
      () => json(503, { message: 'Service Unavailable' }),
      () =>
        withLines(
          run({ status: 'expired', approval: { required: true, deadline: '2025-03-01T11:00:00.000Z' } }),
        ),
    );
    const result = await cli(['watch', runId], api.fetch);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('503 Service Unavailable');
    expect(result.stdout).toContain('Expired: nobody approved it before its deadline.');
  });

  it('stops on a problem that asking again will not solve', async () => {
    const api = inOrder(() => json(404, { message: 'Not Found' }));
    const result = await cli(['watch', runId], api.fetch);

    expect(result.code).toBe(3);
    expect(api.calls).toHaveLength(1);
  });

  it('stops watching on Ctrl-C and says the run goes on', async () => {
    const interrupt = new AbortController();
    const api = fakeFetch((_, index) => {
      if (index === 1) interrupt.abort();
      return withLines(run({ progress: progress(1, 1, 60_000) }));
    });
    const result = await cli(['watch', runId], api.fetch, { signal: interrupt.signal, pollIntervalMs: 50 });

    expect(result.code).toBe(130);
    expect(result.stdout).toContain(`Stopped watching ${runId} (paying); the run goes on without you.`);
  });

  it('draws a progress bar on a terminal', async () => {
    const terminal = capturedOutput();
    Object.assign(terminal.stream, { isTTY: true, columns: 120 });
    const api = inOrder(
      () => withLines(run({ progress: progress(1, 1, 60_000) })),
      () => withLines(run({ status: 'completed', progress: progress(3, 3, 123_450) })),
    );
    const code = await runCli(['watch', runId], {
      fetch: api.fetch,
      stdout: terminal.stream,
      stderr: capturedOutput().stream,
      env: { MARKETPLACE_TOKEN: 'finance-token' },
      isTTY: true,
      pollIntervalMs: 0,
    });

    expect(code).toBe(0);
    expect(terminal.text()).toContain('3/3 sellers | paid EUR 1,234.50 | 0 failed | 0 skipped');
    expect(terminal.text()).toContain('Completed: paid 3 sellers EUR 1,234.50');
  });
});

describe('payouts report, list and show', () => {
  const csv = 'run_id,seller_id\r\npr_0123456789abcdef,seller-a\r\npr_0123456789abcdef,"seller\r\nb"\r\n';

  it('writes the CSV report to a file', async () => {
    const api = fakeFetch(
      () => new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } }),
    );
    const file = join(scratch, 'report.csv');
    const result = await cli(['report', runId, '--out', file], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.url.pathname).toBe(`/payout-runs/${runId}/report.csv`);
    expect(api.calls[0]?.headers.get('accept')).toBe('text/csv');
    expect(readFileSync(file, 'utf8')).toBe(csv);
    expect(result.stdout).toBe(`Wrote 2 lines of payout run ${runId} to ${file}.\n`);
  });

  it('writes the CSV report to stdout, and nothing else', async () => {
    const api = fakeFetch(() => new Response(csv, { headers: { 'content-type': 'text/csv' } }));
    const result = await cli(['report', runId], api.fetch);

    expect(result.stdout).toBe(csv);
  });

  it('lists runs with the limit and says how to get the next page', async () => {
    const { progress: _, ...summary } = run({ status: 'completed', dryRun: true });
    const api = fakeFetch(() => json(200, { items: [summary], nextCursor: 'abc' }));
    const result = await cli(['list', '--limit', '5'], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.url.pathname).toBe('/payout-runs');
    expect(api.calls[0]?.url.searchParams.get('limit')).toBe('5');
    expect(result.stdout).toMatch(
      new RegExp(`${runId}\\s+completed \\(dry run\\)\\s+EUR\\s+3 sellers, EUR 1,234.50`),
    );
    expect(result.stdout).toContain('list --limit 5 --cursor abc');
  });

  it('shows a run and a page of its lines of one status', async () => {
    const line = {
      runId,
      sellerId: 'seller-c',
      currency: 'EUR',
      status: 'failed',
      plannedAmount: 3450,
      amount: 3450,
      failure: { code: 'account_closed', message: 'The account is closed' },
      updatedAt: '2025-03-01T10:05:00.000Z',
    };
    const api = fakeFetch(() =>
      json(200, { ...run({ progress: progress(3, 2, 120_000, 1) }), lines: { items: [line] } }),
    );
    const result = await cli(['show', runId, '--status', 'failed'], api.fetch);

    expect(result.code).toBe(0);
    expect(api.calls[0]?.url.pathname).toBe(`/payout-runs/${runId}`);
    expect(api.calls[0]?.url.searchParams.get('status')).toBe('failed');
    expect(result.stdout).toContain('Progress  3/3 sellers done: 2 paid (EUR 1,200.00), 1 failed, 0 skipped');
    expect(result.stdout).toContain(
      `Failed payouts: npm run --silent payouts -- show ${runId} --status failed`,
    );
    expect(result.stdout).toContain('Lines (failed):');
    expect(result.stdout).toMatch(
      /seller-c\s+failed\s+EUR 34\.50\s+EUR 34\.50\s+account_closed: The account is closed/,
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [123_450, 'EUR', 'EUR 1,234.50'],
    [5, 'EUR', 'EUR 0.05'],
    [0, 'USD', 'USD 0.00'],
    [-1999, 'GBP', '-GBP 19.99'],
    [1_234_567, 'JPY', 'JPY 1,234,567'],
    [1_234_567, 'KWD', 'KWD 1,234.567'],
    [1_000_000_000_000, 'EUR', 'EUR 10,000,000,000.00'],
  ])('%i %s is %s', (amount, currency, text) => {
    expect(formatAmount(amount, currency)).toBe(text);
  });
});
