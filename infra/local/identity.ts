import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Role } from '#shared/domain/caller.ts';
import { defaultLocalEmail, LocalUserDirectory } from './user-directory.ts';

/** Stands in for the Cognito user pool: signs ID tokens and verifies them like the JWT authorizer. */
export interface LocalIdentity {
  readonly issuer: string;
  readonly audience: string;
  /** Signs a token for the user, and records them (with their address) in the user directory. */
  issueToken(user: {
    userId: string;
    roles: readonly Role[];
    email?: string;
    ttlSeconds?: number;
  }): Promise<string>;
  /** The claims API Gateway would pass to the function, or undefined where it answers 401. */
  verify(authorization: string | undefined): Promise<Record<string, string> | undefined>;
}

export const localIssuer = 'marketplace-local-issuer';
export const localAudience = 'marketplace-local-client';
const algorithm = 'RS256';

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: algorithm, use: 'sig' };
}

/** Reads the signing key from `file`, creating it on first use so tokens survive restarts. */
export async function loadOrCreateSigningKey(file: string): Promise<JWK> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await newSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(key), { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return JSON.parse(readFileSync(file, 'utf8')) as JWK;
    throw error;
  }
}

/**
 * API Gateway passes every claim to the function as a string; arrays become `[a b]`.
 */
function asGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

export async function createLocalIdentity(
  signingKey?: JWK,
  users = new LocalUserDirectory(),
): Promise<LocalIdentity> {
  const privateJwk = signingKey ?? (await newSigningKey());
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, algorithm);
  const jwks = createLocalJWKSet({ keys: [publicJwk] });

  return {
    issuer: localIssuer,
    audience: localAudience,
    async issueToken({ userId, roles, email, ttlSeconds = 12 * 3600 }) {
      users.register({
        userId,
        roles,
        email: email ?? users.find(userId)?.email ?? defaultLocalEmail(userId),
      });
      return new SignJWT({ 'cognito:groups': [...roles], token_use: 'id', 'cognito:username': userId })
        .setProtectedHeader({ alg: algorithm, kid: publicJwk.kid ?? '' })
        .setSubject(userId)
        .setIssuer(localIssuer)
        .setAudience(localAudience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    async verify(authorization) {
      const token = authorization?.replace(/^Bearer\s+/i, '');
      if (!token) return undefined;
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer: localIssuer, algorithms: [algorithm] });
        // The authorizer accepts a token whose `aud` (ID token) or `client_id` (access token) is an audience.
        const audiences = [payload.aud, payload.client_id].flat();
        if (!audiences.includes(localAudience)) return undefined;
        return asGatewayClaims(payload);
      } catch {
        return undefined;
      }
    },
  };
}
