import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIdentity } from '#infra/local/identity.ts';
import { TestApi } from '../support/api.ts';
import { freePort } from '../support/free-port.ts';
import { runOps } from '../support/ops.ts';

/** The origin TestApi's stack allows. */
const origin = 'https://shop.example';
const scratch = mkdtempSync(join(tmpdir(), 'marketplace-smoke-'));

let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => {
  await api?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm run smoke against the local stack', () => {
  it('passes every check, one line each, with a buyer’s token', async () => {
    const buyer = await api.token('smoke-buyer', 'buyer');
    const { code, output, lines } = await runOps('smoke', ['--api', api.stack.url, '--origin', origin], {
      env: { ...process.env, MARKETPLACE_TOKEN: buyer },
    });
    expect(code, output).toBe(0);
    expect(lines).toEqual([
      'pass  GET /health: up, every setting given',
      expect.stringMatching(/^pass {2}GET \/openapi\.json: OpenAPI 3\.1, \d+ paths$/),
      `pass  OPTIONS /checkouts (CORS preflight): POST from ${origin} with authorization, content-type, idempotency-key allowed`,
      expect.stringMatching(/^pass {2}GET \/search: answered anonymously \(\d+ matches\)$/),
      'pass  GET /orders without a token: refused without a token (401)',
      'pass  POST /webhooks/stripe: refuses a forged delivery (400 invalid_signature)',
      'pass  GET /orders with the token: a signed-in user reads their orders',
    ]);
    expect(output).toContain('All 7 checks passed.');
    expect(output).not.toContain(buyer);
  }, 60_000);

  it('fails on a token the API refuses, an origin it does not allow, and says why', async () => {
    const otherIdentity = await createLocalIdentity();
    const foreign = await otherIdentity.issueToken({ userId: 'smoke-buyer', roles: ['buyer'] });
    // The API URL as cdk deploy writes the ApiUrl output, with its trailing slash.
    const outputs = join(scratch, 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ Marketplace: { ApiUrl: `${api.stack.url}/` } }));
    const { code, output, lines } = await runOps(
      'smoke',
      ['--outputs', outputs, '--token', foreign, '--origin', 'https://elsewhere.example'],
      { env: { ...process.env, MARKETPLACE_API_URL: '' } },
    );
    expect(code, output).toBe(1);
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      'FAIL  OPTIONS /checkouts (CORS preflight): https://elsewhere.example may not call the API ' +
        "(pass --origin one of the stack's corsAllowOrigins)",
      "FAIL  GET /orders with the token: the token was refused (401): expired, or not of this stack's user pool",
    ]);
    expect(output).toContain('2 of 7 checks failed.');
  }, 60_000);

  it('fails every check of an API it cannot reach', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const { code, output, lines } = await runOps('smoke', ['--api', nowhere]);
    expect(code, output).toBe(1);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^FAIL {2}.*: unreachable: ECONNREFUSED$/);
    expect(output).toContain('(no token: signed-in checks skipped)');
  }, 60_000);

  it('refuses a command line it does not understand', async () => {
    const { code, output } = await runOps('smoke', ['--api', 'ftp://example.com']);
    expect(code).toBe(2);
    expect(output).toContain('Error: --api ftp://example.com is not an http(s) URL');
  }, 30_000);
});
