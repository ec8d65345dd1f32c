import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalIdentity,
  loadOrCreateSigningKey,
  localAudience,
  localIssuer,
} from '#infra/local/identity.ts';
import { signingKeyFile } from '#infra/local/stack.ts';
import { TestApi } from '../support/api.ts';

let api: TestApi;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'marketplace-auth-'));
  api = await TestApi.start({ dataDir });
});
afterAll(async () => {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A token signed with the gateway's own key, with claims the test controls. */
async function signedToken(claims: { iss?: string; aud?: string; exp: number }) {
  const key = await loadOrCreateSigningKey(signingKeyFile(dataDir));
  return new SignJWT({ 'cognito:groups': ['seller'] })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid ?? '' })
    .setSubject('alice')
    .setIssuer(claims.iss ?? localIssuer)
    .setAudience(claims.aud ?? localAudience)
    .setIssuedAt()
    .setExpirationTime(claims.exp)
    .sign(await importJWK(key, 'RS256'));
}

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('protected routes, as the JWT authorizer guards them', () => {
  it('accept a valid token and pass its claims to the function', async () => {
    const response = await api.call('GET', '/sellers/me/listings', {
      token: await signedToken({ exp: inOneHour() }),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not-a-jwt'],
    ['an expired token', () => signedToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['another issuer', () => signedToken({ iss: 'someone-else', exp: inOneHour() })],
    ['another audience', () => signedToken({ aud: 'another-client', exp: inOneHour() })],
    [
      'a token signed with another key',
      async () => (await createLocalIdentity()).issueToken({ userId: 'alice', roles: ['seller'] }),
    ],
  ])('reject %s with 401', async (_, token) => {
    const response = await api.call('GET', '/sellers/me/listings', { token: (await token()) ?? '' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'Unauthorized' });
  });

  it('rejects a valid token without the role with 403', async () => {
    const response = await api.call('GET', '/sellers/me/listings', {
      token: await api.token('bob', 'buyer'),
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
  });

  it('leaves public routes open', async () => {
    expect((await api.call('GET', '/health')).status).toBe(200);
  });
});
